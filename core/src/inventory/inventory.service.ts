import type { Prisma, PrismaClient, Product } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock.js";
import { isUniqueViolation } from "../db/client.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import { type ProductFileFormat, writeProductsFile } from "./export.js";
import {
  type ColumnMapping,
  IMPORT_FIELDS,
  type ImportField,
  type ImportProduct,
  type ImportRowResult,
  checkRows,
  importProductSchema,
  minorDigits,
  readSpreadsheet,
  suggestMapping,
} from "./import.js";
import {
  type LowStockEventView,
  type ProductView,
  type StockChange,
  type StockMovementView,
  actorSchema,
  adjustSchema,
  deliverySchema,
  movementListSchema,
  productCreateSchema,
  productListSchema,
  productRefSchema,
  productUpdateSchema,
  serviceUseSchema,
  toLowStockEventView,
  toMovementView,
  toProductView,
} from "./product.schemas.js";
import { applyStockMovement, lockProductStock } from "./stock.js";

/** What `previewImport` found in a file. Nothing has been written. */
export interface ImportPreview {
  fileType: "xlsx" | "csv";
  /** The header row, one name per column (blank headers become "Column C"). */
  headers: string[];
  /** The mapping guessed from the headers. */
  suggestedMapping: ColumnMapping;
  /** The mapping the rows were checked with: the caller's, or the suggested one. */
  mapping: ColumnMapping;
  /** Every data row, valid or with its errors, in file order. */
  rows: ImportRowResult[];
  validCount: number;
  invalidCount: number;
}

/** What `commitImport` wrote. */
export interface ImportResult {
  created: number;
  updated: number;
  /** "import" movements written (rows whose counted stock differed from stock on hand). */
  movements: number;
}

/** One product whose stock on hand differs from the sum of its movements. */
export interface StockDifference {
  productId: string;
  name: string;
  stockOnHand: number;
  movementsTotal: number;
}

const mappingSchema = z
  .object(Object.fromEntries(IMPORT_FIELDS.map((f) => [f, z.number().int().min(0).max(1000).optional()])) as Record<ImportField, z.ZodOptional<z.ZodNumber>>)
  .strict();
const previewSchema = z.object({
  tenantId: z.uuid(),
  file: z.instanceof(Buffer),
  fileName: z.string().max(255),
  mapping: mappingSchema.optional(),
});
const commitSchema = z.object({
  tenantId: z.uuid(),
  rows: z.array(importProductSchema).min(1).max(5000),
  actor: actorSchema,
});
const tenantSchema = z.object({ tenantId: z.uuid() });
const exportSchema = z.object({ tenantId: z.uuid(), format: z.enum(["xlsx", "csv"]) });

/**
 * Products and their stock. Stock on hand changes only through `applyStockMovement`, which writes
 * the StockMovement in the same transaction as the update (and a LowStockEvent when a product
 * falls below its threshold); `reconcile` checks the two agree. Stock never goes below zero:
 * a decrease that would is refused with `insufficient_stock`.
 */
export class InventoryService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates a product; an opening `stockOnHand` above 0 is recorded as an "adjustment" movement.
   * Throws `conflict` (details.field "sku") when the SKU is taken in this salon, `invalid_input`, `not_found` (salon).
   */
  async create(input: z.input<typeof productCreateSchema>): Promise<ProductView> {
    const req = parseInput(productCreateSchema, input, "product");
    const currency = await this.currencyOf(req.tenantId);
    const product = await this.mapSkuConflict(req.sku, () =>
      this.db.$transaction(async (tx) => {
        const created = await tx.product.create({
          data: {
            tenantId: req.tenantId,
            name: req.name,
            sku: req.sku,
            barcode: req.barcode,
            unit: req.unit,
            costMinor: req.costMinor,
            priceMinor: req.priceMinor,
            lowStockThreshold: req.lowStockThreshold,
          },
        });
        if (req.stockOnHand === 0) return created;
        const applied = await applyStockMovement(tx, {
          tenantId: req.tenantId,
          productId: created.id,
          delta: req.stockOnHand,
          kind: "adjustment",
          reason: "Opening stock",
          actor: req.actor,
          at: this.clock.now(),
        });
        return applied.product;
      }),
    );
    return toProductView(product, currency);
  }

  /**
   * Changes the given fields of a product (not its stock: use deliveries and adjustments).
   * Throws `conflict` (details.field "sku"), `not_found`, `invalid_input`.
   */
  async update(input: z.input<typeof productUpdateSchema>): Promise<ProductView> {
    const { tenantId, productId, ...fields } = parseInput(productUpdateSchema, input, "product");
    const currency = await this.currencyOf(tenantId);
    const [product] = await this.mapSkuConflict(fields.sku ?? null, () =>
      this.db.product.updateManyAndReturn({ where: { tenantId, id: productId }, data: fields }),
    );
    if (!product) throw new DomainError("not_found", "Product was not found");
    return toProductView(product, currency);
  }

  /** Hides a product from the POS and lists; its history stays. Idempotent. Throws `not_found`. */
  async archive(input: { tenantId: string; productId: string }): Promise<ProductView> {
    return this.setActive(input, false);
  }

  /** Brings an archived product back. Idempotent. Throws `not_found`. */
  async restore(input: { tenantId: string; productId: string }): Promise<ProductView> {
    return this.setActive(input, true);
  }

  /** One product of the salon (archived too). Throws `not_found`. */
  async get(input: { tenantId: string; productId: string }): Promise<ProductView> {
    const parsed = productRefSchema.safeParse(input);
    const product = parsed.success ? await this.db.product.findFirst({ where: { tenantId: parsed.data.tenantId, id: parsed.data.productId } }) : null;
    if (!product) throw new DomainError("not_found", "Product was not found");
    return toProductView(product, await this.currencyOf(product.tenantId));
  }

  /**
   * Products by name; with `query`, those whose name, SKU or barcode contains it (case-insensitive),
   * exact SKU or barcode matches first (a scanned barcode finds its product at the top).
   * Archived products only with `includeArchived`.
   */
  async list(input: { tenantId: string; query?: string; includeArchived?: boolean; limit?: number }): Promise<ProductView[]> {
    const req = parseInput(productListSchema, input, "product search");
    const currency = await this.currencyOf(req.tenantId);
    const where: Prisma.ProductWhereInput = { tenantId: req.tenantId, ...(req.includeArchived ? {} : { active: true }) };
    const q = req.query;
    if (q) {
      where.OR = [
        { name: { contains: q, mode: "insensitive" } },
        { sku: { contains: q, mode: "insensitive" } },
        { barcode: { contains: q, mode: "insensitive" } },
      ];
    }
    const rows = await this.db.product.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], take: req.limit });
    if (q) {
      const exact = (p: Product) => (p.sku?.toLowerCase() === q.toLowerCase() || p.barcode?.toLowerCase() === q.toLowerCase() ? 0 : 1);
      rows.sort((a, b) => exact(a) - exact(b));
    }
    return rows.map((p) => toProductView(p, currency));
  }

  /** Same as `list` with a query: for the POS product picker. */
  async search(input: { tenantId: string; query: string; limit?: number }): Promise<ProductView[]> {
    return this.list(input);
  }

  /** Active products below their threshold (threshold above 0), lowest stock relative to threshold first. */
  async listLowStock(tenantId: string): Promise<ProductView[]> {
    const req = parseInput(tenantSchema, { tenantId }, "salon");
    const currency = await this.currencyOf(req.tenantId);
    const products = await this.db.product.findMany({
      where: { tenantId: req.tenantId, active: true, lowStockThreshold: { gt: 0 }, stockOnHand: { lt: this.db.product.fields.lowStockThreshold } },
    });
    products.sort((a, b) => a.stockOnHand / a.lowStockThreshold - b.stockOnHand / b.lowStockThreshold || a.name.localeCompare(b.name));
    return products.map((p) => toProductView(p, currency));
  }

  /** Low-stock events of the salon, newest first (what the alert job will deliver). */
  async listLowStockEvents(input: { tenantId: string; limit?: number }): Promise<LowStockEventView[]> {
    const req = parseInput(tenantSchema.extend({ limit: z.number().int().min(1).max(1000).default(100) }), input, "salon");
    const rows = await this.db.lowStockEvent.findMany({ where: { tenantId: req.tenantId }, orderBy: { createdAt: "desc" }, take: req.limit });
    return rows.map(toLowStockEventView);
  }

  /** A product's stock movements, newest first. */
  async listMovements(input: { tenantId: string; productId: string; limit?: number }): Promise<StockMovementView[]> {
    const req = parseInput(movementListSchema, input, "movement list");
    const rows = await this.db.stockMovement.findMany({
      where: { tenantId: req.tenantId, productId: req.productId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: req.limit,
    });
    return rows.map(toMovementView);
  }

  /**
   * Goods received: adds `quantity` (> 0) as a "delivery" movement. With a `requestKey` (1-200
   * characters, e.g. the Telegram update that confirmed it) the same request is recorded once: a
   * repeat records nothing and returns the first movement with the product as it is now. Throws
   * `not_found`, `invalid_input`.
   */
  async recordDelivery(input: { tenantId: string; productId: string; quantity: number; reason?: string; actor: string; requestKey?: string }): Promise<StockChange> {
    const req = parseInput(deliverySchema, input, "delivery");
    if (!req.requestKey) return this.move(req.tenantId, req.productId, req.quantity, "delivery", req.reason ?? null, req.actor);
    const key = req.requestKey;
    const recorded = () => this.movementByRequestKey(req.tenantId, key);
    const earlier = await recorded();
    if (earlier) return earlier;
    try {
      return await this.move(req.tenantId, req.productId, req.quantity, "delivery", req.reason ?? null, req.actor, key);
    } catch (e) {
      // The same request, concurrently: the unique (tenantId, requestKey) let one of them in.
      const winner = isUniqueViolation(e) ? await recorded() : null;
      if (winner) return winner;
      throw e;
    }
  }

  /** The movement recorded for `requestKey`, with its product as it is now; null when none. */
  private async movementByRequestKey(tenantId: string, requestKey: string): Promise<StockChange | null> {
    const movement = await this.db.stockMovement.findUnique({ where: { tenantId_requestKey: { tenantId, requestKey } }, include: { product: true } });
    if (!movement) return null;
    return { product: toProductView(movement.product, await this.currencyOf(tenantId)), movement: toMovementView(movement) };
  }

  /**
   * A stock take or correction with a required reason: either to the `countedQuantity` (the
   * difference is recorded; none when equal) or by a signed `delta`. The counted variant locks the
   * product row first, so a sale in between is not overwritten. Throws `insufficient_stock` (a
   * delta below zero stock), `not_found`, `invalid_input`.
   */
  async adjustStock(input: {
    tenantId: string;
    productId: string;
    countedQuantity?: number;
    delta?: number;
    reason: string;
    actor: string;
  }): Promise<StockChange> {
    const req = parseInput(adjustSchema, input, "stock adjustment");
    const currency = await this.currencyOf(req.tenantId);
    return this.db.$transaction(async (tx) => {
      let delta = req.delta ?? 0;
      if (req.countedQuantity !== undefined) {
        const current = await lockProductStock(tx, req.tenantId, req.productId);
        if (current === null) throw new DomainError("not_found", "Product was not found");
        delta = req.countedQuantity - current;
      }
      if (delta === 0) {
        const product = await tx.product.findFirstOrThrow({ where: { tenantId: req.tenantId, id: req.productId } });
        return { product: toProductView(product, currency), movement: null };
      }
      const applied = await applyStockMovement(tx, {
        tenantId: req.tenantId,
        productId: req.productId,
        delta,
        kind: "adjustment",
        reason: req.reason,
        actor: req.actor,
        at: this.clock.now(),
      });
      return { product: toProductView(applied.product, currency), movement: toMovementView(applied.movement) };
    });
  }

  /**
   * Product used while serving a client (colour, shampoo): a "service_use" movement of
   * `-quantity`. The booking, when given, is noted in the reason. Throws `insufficient_stock`, `not_found`, `invalid_input`.
   */
  async useInService(input: {
    tenantId: string;
    productId: string;
    quantity: number;
    bookingId?: string;
    reason?: string;
    actor: string;
  }): Promise<StockChange> {
    const req = parseInput(serviceUseSchema, input, "service use");
    const reason = [req.reason, req.bookingId ? `booking ${req.bookingId}` : undefined].filter(Boolean).join("; ") || null;
    return this.move(req.tenantId, req.productId, -req.quantity, "service_use", reason, req.actor);
  }

  /**
   * Compares each product's stock on hand with the sum of its movements. Every write here keeps
   * them equal, so `differences` should be empty; anything listed was changed outside the services.
   */
  async reconcile(tenantId: string): Promise<{ checked: number; differences: StockDifference[] }> {
    const req = parseInput(tenantSchema, { tenantId }, "salon");
    const rows = await this.db.$queryRaw<{ id: string; name: string; stockOnHand: number; total: bigint | number }[]>`
      SELECT p.id, p.name, p."stockOnHand", COALESCE(SUM(m.quantity), 0) AS total
      FROM "Product" p LEFT JOIN "StockMovement" m ON m."productId" = p.id AND m."tenantId" = p."tenantId"
      WHERE p."tenantId" = ${req.tenantId}::uuid
      GROUP BY p.id, p.name, p."stockOnHand"`;
    const differences = rows
      .map((r) => ({ productId: r.id, name: r.name, stockOnHand: r.stockOnHand, movementsTotal: Number(r.total) }))
      .filter((r) => r.stockOnHand !== r.movementsTotal);
    return { checked: rows.length, differences };
  }

  /**
   * Reads an uploaded .xlsx or CSV file and checks every row; writes nothing. Without `mapping`
   * the columns are guessed from the headers (see `suggestMapping`). Money columns are read in
   * the salon's currency ("12,50" and "12.50" both work). Throws `invalid_input` for an
   * unreadable file or a mapping that points outside the header row or uses a column twice.
   */
  async previewImport(input: { tenantId: string; file: Buffer; fileName: string; mapping?: ColumnMapping }): Promise<ImportPreview> {
    const req = parseInput(previewSchema, input, "import");
    const currency = await this.currencyOf(req.tenantId);
    const sheet = await readSpreadsheet(req.file, req.fileName);
    const suggestedMapping = suggestMapping(sheet.headers);
    const mapping = req.mapping ?? suggestedMapping;
    const columns = Object.values(mapping);
    if (columns.some((c) => c >= sheet.headers.length)) {
      throw new DomainError("invalid_input", `The mapping points past the last column (${sheet.headers.length})`, { field: "mapping" });
    }
    if (new Set(columns).size !== columns.length) throw new DomainError("invalid_input", "A column is mapped to two fields", { field: "mapping" });
    const skus = new Set<string>();
    if (mapping.sku !== undefined) {
      for (const r of sheet.rows) {
        const v = r.cells[mapping.sku];
        if (v !== null && v !== undefined && String(v).trim() !== "") skus.add(String(v).trim());
      }
    }
    const existing = skus.size
      ? await this.db.product.findMany({ where: { tenantId: req.tenantId, sku: { in: [...skus] } }, select: { sku: true } })
      : [];
    const rows = checkRows(sheet, mapping, minorDigits(currency), new Set(existing.map((p) => p.sku!)));
    const validCount = rows.filter((r) => r.status === "valid").length;
    return { fileType: sheet.fileType, headers: sheet.headers, suggestedMapping, mapping, rows, validCount, invalidCount: rows.length - validCount };
  }

  /**
   * Imports the confirmed rows (the `product` of valid preview rows), all in one transaction:
   * a row whose SKU exists updates that product (and brings it back if archived), any other row
   * creates one. A row's `stockOnHand` is a count: the difference to stock on hand becomes an
   * "import" movement (the product row is locked first). Throws `invalid_input` (details.issues
   * name the row index, e.g. "rows.3.priceMinor": a new product needs a name and a price; a SKU
   * may appear once), `not_found` (salon).
   */
  async commitImport(input: { tenantId: string; rows: ImportProduct[]; actor: string }): Promise<ImportResult> {
    const req = parseInput(commitSchema, input, "import");
    await this.currencyOf(req.tenantId);
    const seen = new Set<string>();
    req.rows.forEach((r, i) => {
      if (r.sku === null) return;
      if (seen.has(r.sku)) {
        throw new DomainError("invalid_input", `SKU "${r.sku}" appears twice`, { issues: [{ path: `rows.${i}.sku`, message: "appears twice" }] });
      }
      seen.add(r.sku);
    });
    const at = this.clock.now();
    return this.db.$transaction(
      async (tx) => {
        const result: ImportResult = { created: 0, updated: 0, movements: 0 };
        for (const [i, row] of req.rows.entries()) {
          const existing = row.sku
            ? await tx.$queryRaw<{ id: string; stockOnHand: number }[]>`
                SELECT id, "stockOnHand" FROM "Product" WHERE "tenantId" = ${req.tenantId}::uuid AND sku = ${row.sku} FOR UPDATE`
            : [];
          const fields = {
            ...(row.name !== undefined && { name: row.name }),
            ...(row.barcode !== undefined && { barcode: row.barcode }),
            ...(row.unit !== undefined && { unit: row.unit }),
            ...(row.costMinor !== undefined && { costMinor: row.costMinor }),
            ...(row.priceMinor !== undefined && { priceMinor: row.priceMinor }),
            ...(row.lowStockThreshold !== undefined && { lowStockThreshold: row.lowStockThreshold }),
          };
          let productId: string;
          let current: number;
          const found = existing[0];
          if (found) {
            await tx.product.update({ where: { id: found.id }, data: { ...fields, active: true } });
            productId = found.id;
            current = found.stockOnHand;
            result.updated++;
          } else {
            if (row.name === undefined || row.priceMinor === undefined) {
              const path = `rows.${i}.${row.name === undefined ? "name" : "priceMinor"}`;
              throw new DomainError("invalid_input", `Row ${i + 1}: a new product needs a name and a price`, {
                issues: [{ path, message: "is required for a new product" }],
              });
            }
            const created = await tx.product.create({ data: { tenantId: req.tenantId, ...fields, name: row.name, priceMinor: row.priceMinor, sku: row.sku } });
            productId = created.id;
            current = 0;
            result.created++;
          }
          const delta = row.stockOnHand === undefined ? 0 : row.stockOnHand - current;
          if (delta !== 0) {
            await applyStockMovement(tx, { tenantId: req.tenantId, productId, delta, kind: "import", reason: "Imported count", actor: req.actor, at });
            result.movements++;
          }
        }
        return result;
      },
      { timeout: 120_000 },
    );
  }

  /** All products (archived too), by name, as an .xlsx or CSV file that `previewImport` reads back. */
  async exportProducts(input: { tenantId: string; format: ProductFileFormat }): Promise<Buffer> {
    const req = parseInput(exportSchema, input, "export");
    const currency = await this.currencyOf(req.tenantId);
    const rows = await this.db.product.findMany({ where: { tenantId: req.tenantId }, orderBy: [{ name: "asc" }, { id: "asc" }] });
    return writeProductsFile(
      rows.map((p) => toProductView(p, currency)),
      req.format,
      minorDigits(currency),
    );
  }

  private async move(
    tenantId: string,
    productId: string,
    delta: number,
    kind: "delivery" | "service_use",
    reason: string | null,
    actor: string,
    requestKey: string | null = null,
  ): Promise<StockChange> {
    const currency = await this.currencyOf(tenantId);
    const applied = await this.db.$transaction((tx) => applyStockMovement(tx, { tenantId, productId, delta, kind, reason, actor, requestKey, at: this.clock.now() }));
    return { product: toProductView(applied.product, currency), movement: toMovementView(applied.movement) };
  }

  private async setActive(input: { tenantId: string; productId: string }, active: boolean): Promise<ProductView> {
    const req = parseInput(productRefSchema, input, "product");
    const currency = await this.currencyOf(req.tenantId);
    const [product] = await this.db.product.updateManyAndReturn({ where: { tenantId: req.tenantId, id: req.productId }, data: { active } });
    if (!product) throw new DomainError("not_found", "Product was not found");
    return toProductView(product, currency);
  }

  private async currencyOf(tenantId: string): Promise<string> {
    const tenant = await this.db.tenant.findUnique({ where: { id: tenantId }, select: { currency: true } });
    if (!tenant) throw new DomainError("not_found", "Salon was not found");
    return tenant.currency;
  }

  private async mapSkuConflict<T>(sku: string | null, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DomainError("conflict", `SKU "${sku ?? ""}" is already used by another product`, { field: "sku" });
      throw e;
    }
  }
}
