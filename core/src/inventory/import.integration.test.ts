import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import type { ImportProduct } from "./import.js";

const ACTOR = "staff:importer";

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Stock");
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function validProducts(rows: { status: string; product?: ImportProduct }[]): ImportProduct[] {
  return rows.flatMap((r) => (r.status === "valid" && r.product ? [r.product] : []));
}

describe("product import and export (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let salon: TestSalon;

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma, new FixedClock(new Date("2030-03-04T10:00:00Z")));
    salon = await createTestSalon(db.prisma);
  });
  afterAll(async () => db.drop());

  it("previews an .xlsx with good and bad rows, writes nothing, then imports only the confirmed valid rows", async () => {
    const existing = await core.inventory.create({ tenantId: salon.tenantId, name: "Old name", sku: "B-200", priceMinor: 10_00, stockOnHand: 7, actor: ACTOR });
    const file = await xlsx([
      ["Product name", "SKU", "Barcode", "Sales price", "Cost price", "In stock", "Low-stock threshold"],
      ["Argan oil", "A-100", 5701234567890, 149.5, "60,00", 12, 3],
      ["Shampoo", "B-200", null, "99,95", null, 4, null],
      ["Broken price", "C-300", null, "abc", null, 1, null],
      [null, "D-400", null, "10", null, 2, null],
      [],
      ["Hair wax", null, null, "kr. 1.234,50", null, "2.5", null],
    ]);
    const productsBefore = await db.prisma.product.count();
    const movementsBefore = await db.prisma.stockMovement.count();

    const preview = await core.inventory.previewImport({ tenantId: salon.tenantId, file, fileName: "stock.xlsx" });
    expect(preview.fileType).toBe("xlsx");
    expect(preview.headers[0]).toBe("Product name");
    expect(preview.suggestedMapping).toEqual({ name: 0, sku: 1, barcode: 2, price: 3, cost: 4, stock: 5, threshold: 6 });
    expect(preview.mapping).toEqual(preview.suggestedMapping);
    expect(preview.rows).toEqual([
      {
        row: 2,
        status: "valid",
        action: "create",
        product: { name: "Argan oil", sku: "A-100", barcode: "5701234567890", priceMinor: 149_50, costMinor: 60_00, stockOnHand: 12, lowStockThreshold: 3 },
      },
      { row: 3, status: "valid", action: "update", product: { name: "Shampoo", sku: "B-200", priceMinor: 99_95, stockOnHand: 4 } },
      { row: 4, status: "invalid", errors: [{ row: 4, field: "price", column: "Sales price", message: '"abc" is not an amount' }] },
      { row: 5, status: "invalid", errors: [{ row: 5, field: "name", column: "Product name", message: "is required for a new product" }] },
      {
        row: 7,
        status: "invalid",
        errors: [{ row: 7, field: "stock", column: "In stock", message: "must be a whole number of 0 or more" }],
      },
    ]);
    expect(preview).toMatchObject({ validCount: 2, invalidCount: 3 });
    // A preview writes nothing.
    expect(await db.prisma.product.count()).toBe(productsBefore);
    expect(await db.prisma.stockMovement.count()).toBe(movementsBefore);

    const result = await core.inventory.commitImport({ tenantId: salon.tenantId, rows: validProducts(preview.rows), actor: ACTOR });
    expect(result).toEqual({ created: 1, updated: 1, movements: 2 });
    const argan = await db.prisma.product.findFirstOrThrow({ where: { tenantId: salon.tenantId, sku: "A-100" } });
    expect(argan).toMatchObject({ name: "Argan oil", priceMinor: 149_50, costMinor: 60_00, stockOnHand: 12, lowStockThreshold: 3, barcode: "5701234567890" });
    const shampoo = await core.inventory.get({ tenantId: salon.tenantId, productId: existing.id });
    expect(shampoo).toMatchObject({ name: "Shampoo", priceMinor: 99_95, stockOnHand: 4 });
    const [last] = await core.inventory.listMovements({ tenantId: salon.tenantId, productId: existing.id, limit: 1 });
    expect(last).toMatchObject({ kind: "import", quantity: -3, balance: 4, actor: ACTOR });
    expect(await db.prisma.product.count({ where: { tenantId: salon.tenantId, sku: { in: ["C-300", "D-400"] } } })).toBe(0);
    expect((await core.inventory.reconcile(salon.tenantId)).differences).toEqual([]);
  });

  it("reads a Danish CSV (semicolons, decimal commas, BOM) and honours a caller's mapping", async () => {
    const csv = "\uFEFFVarenavn;Varenr.;Salgspris;Antal;Note\nBørste;BR-1;45,00;6;x\nKam;KA-1;12,5;;y\n";
    const preview = await core.inventory.previewImport({ tenantId: salon.tenantId, file: Buffer.from(csv, "utf8"), fileName: "varer.csv" });
    expect(preview.fileType).toBe("csv");
    expect(preview.headers).toEqual(["Varenavn", "Varenr.", "Salgspris", "Antal", "Note"]);
    expect(preview.mapping).toEqual({ name: 0, sku: 1, price: 2, stock: 3 });
    expect(validProducts(preview.rows)).toEqual([
      { name: "Børste", sku: "BR-1", priceMinor: 45_00, stockOnHand: 6 },
      { name: "Kam", sku: "KA-1", priceMinor: 12_50 },
    ]);

    // The user says the "Note" column is the unit, and ignores the stock column.
    const remapped = await core.inventory.previewImport({
      tenantId: salon.tenantId,
      file: Buffer.from(csv, "utf8"),
      fileName: "varer.csv",
      mapping: { name: 0, sku: 1, price: 2, unit: 4 },
    });
    expect(validProducts(remapped.rows)[0]).toEqual({ name: "Børste", sku: "BR-1", priceMinor: 45_00, unit: "x" });
    await expect(
      core.inventory.previewImport({ tenantId: salon.tenantId, file: Buffer.from(csv), fileName: "varer.csv", mapping: { name: 0, price: 9 } }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await expect(
      core.inventory.previewImport({ tenantId: salon.tenantId, file: Buffer.from(csv), fileName: "varer.csv", mapping: { name: 0, sku: 0 } }),
    ).rejects.toMatchObject({ code: "invalid_input" });

    // Windows-1252 text (an old Excel "CSV" export) is read too.
    const latin = Buffer.from("Name,Price\nBørste,10\n", "latin1");
    const latinPreview = await core.inventory.previewImport({ tenantId: salon.tenantId, file: latin, fileName: "old.csv" });
    expect(validProducts(latinPreview.rows)).toEqual([{ name: "Børste", sku: null, priceMinor: 10_00 }]);

    const result = await core.inventory.commitImport({ tenantId: salon.tenantId, rows: validProducts(preview.rows), actor: ACTOR });
    expect(result).toEqual({ created: 2, updated: 0, movements: 1 });
    expect((await core.inventory.search({ tenantId: salon.tenantId, query: "BR-1" }))[0]).toMatchObject({ name: "Børste", stockOnHand: 6 });
  });

  it("refuses files it cannot read", async () => {
    await expect(core.inventory.previewImport({ tenantId: salon.tenantId, file: Buffer.alloc(0), fileName: "x.csv" })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(
      core.inventory.previewImport({ tenantId: salon.tenantId, file: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), fileName: "old.xls" }),
    ).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining(".xls") });
    await expect(
      core.inventory.previewImport({ tenantId: salon.tenantId, file: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), fileName: "broken.xlsx" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("commits all rows or none: a new product without a price rolls back the whole import", async () => {
    const before = await db.prisma.product.count({ where: { tenantId: salon.tenantId } });
    await expect(
      core.inventory.commitImport({
        tenantId: salon.tenantId,
        rows: [
          { name: "Fine", sku: "OK-1", priceMinor: 1_00, stockOnHand: 3 },
          { name: "No price", sku: "NP-1" },
        ],
        actor: ACTOR,
      }),
    ).rejects.toMatchObject({ code: "invalid_input", details: { issues: [{ path: "rows.1.priceMinor" }] } });
    await expect(
      core.inventory.commitImport({ tenantId: salon.tenantId, rows: [{ name: "A", sku: "X", priceMinor: 1 }, { name: "B", sku: "X", priceMinor: 1 }], actor: ACTOR }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect(await db.prisma.product.count({ where: { tenantId: salon.tenantId } })).toBe(before);
  });

  it("exports to .xlsx and CSV, and the export imports back unchanged", async () => {
    const products = await core.inventory.list({ tenantId: salon.tenantId, includeArchived: true });
    const withSku = products.filter((p) => p.sku !== null);
    for (const format of ["xlsx", "csv"] as const) {
      const file = await core.inventory.exportProducts({ tenantId: salon.tenantId, format });
      const preview = await core.inventory.previewImport({ tenantId: salon.tenantId, file, fileName: `products.${format}` });
      expect(preview.fileType).toBe(format);
      expect(preview.invalidCount).toBe(0);
      expect(preview.rows).toHaveLength(products.length);
      for (const p of withSku) {
        const row = preview.rows.find((r) => r.status === "valid" && r.product.sku === p.sku);
        expect(row, `${format} ${p.sku}`).toMatchObject({
          action: "update",
          product: { name: p.name, priceMinor: p.priceMinor, costMinor: p.costMinor, stockOnHand: p.stockOnHand, lowStockThreshold: p.lowStockThreshold, unit: p.unit },
        });
      }
      const rows = validProducts(preview.rows).filter((r) => r.sku !== null);
      expect(await core.inventory.commitImport({ tenantId: salon.tenantId, rows, actor: ACTOR })).toEqual({ created: 0, updated: rows.length, movements: 0 });
    }
    const csv = (await core.inventory.exportProducts({ tenantId: salon.tenantId, format: "csv" })).toString("utf8");
    expect(csv.split("\n")[0]).toBe("\uFEFFName,SKU,Barcode,Unit,Cost,Price,Stock,Low-stock threshold");
    expect(csv).toContain("Argan oil,A-100,5701234567890,pcs,60.00,149.50,12,3");
  });
});
