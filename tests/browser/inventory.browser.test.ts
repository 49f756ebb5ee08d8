/**
 * Inventory in Chromium: import a small .xlsx with one bad row (preview shows the error, nothing
 * written until "Import N valid rows"), create a product with a comma price, record a delivery and
 * a stock take, the low-stock filter, the exports, and the pages at phone width.
 */
import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newPage, PHONE_VIEWPORT, screenshot, signIn, startApp, type TestAccount, type TestApp } from "./harness.js";

describe("inventory (Chromium)", () => {
  let app: TestApp;
  let browser: Browser;
  let manager: TestAccount;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    manager = await app.createAccount("manager", { name: "Mona Manager" });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("imports a small .xlsx: the preview shows the bad row, only the valid rows are imported", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Varer");
    sheet.addRow(["Produktnavn", "Varenr", "Stregkode", "Salgspris", "Beholdning", "Minimumsbeholdning"]);
    sheet.addRow(["Volume shampoo", "VS-250", "5701000000011", "129,95", 12, 4]);
    sheet.addRow(["Bad price conditioner", "BP-1", "", "gratis", 3, 1]);
    sheet.addRow(["Texture paste", "TP-75", "", 89, 2, 5]);
    const buffer = Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);

    const page = await newPage(browser, app);
    await signIn(page, manager);
    await page.goto("/inventory");
    await page.getByRole("link", { name: "Import" }).click();
    await page.waitForURL("**/inventory/import");
    await page.getByLabel("File").setInputFiles({ name: "varer.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer });
    await page.getByRole("button", { name: "Preview" }).click();

    const importButton = page.getByRole("button", { name: /^Import \d+ valid rows?$/ });
    await importButton.waitFor();
    expect(await importButton.innerText()).toBe("Import 2 valid rows");
    const table = page.getByRole("table", { name: "Rows of the file" });
    expect(await table.locator("tr.invalid-row").innerText()).toMatch(/3\s+Price \(column “Salgspris”\): "gratis" is not an amount/);
    // The suggested mapping, from Danish headers.
    expect(await page.getByLabel("Price", { exact: true }).inputValue()).toBe("3");
    expect(await page.getByLabel("Low-stock threshold").inputValue()).toBe("5");
    await screenshot(page, "inventory-import-preview");
    expect(await app.db.prisma.product.count({ where: { tenantId: app.tenant.id } })).toBe(0);

    // Changing the mapping previews again from the same chosen file: no price column → every row needs one.
    await page.getByLabel("Price", { exact: true }).selectOption("");
    await page.getByRole("button", { name: "Preview again with this mapping" }).click();
    await expect.poll(() => page.getByRole("button", { name: /^Import \d+ valid rows?$/ }).innerText()).toBe("Import 0 valid rows");
    await page.getByLabel("Price", { exact: true }).selectOption({ label: "Salgspris" });
    await page.getByRole("button", { name: "Preview again with this mapping" }).click();
    await expect.poll(() => importButton.innerText()).toBe("Import 2 valid rows");

    await importButton.click();
    await expect.poll(() => page.getByRole("status").innerText()).toMatch(/Imported: 2 new, 0 updated, 2 stock counts recorded\./);
    await page.getByRole("link", { name: "See the products" }).click();
    await page.waitForURL((url) => url.pathname === "/inventory");
    const rows = page.locator("table tbody tr");
    expect(await rows.allInnerTexts()).toEqual([
      expect.stringMatching(/^Texture paste\s+TP-75\s+DKK\s89\.00\s+2 pcs\s+Low$/),
      expect.stringMatching(/^Volume shampoo\s+5701000000011\s+VS-250\s+DKK\s129\.95\s+12 pcs$/),
    ]);
    await screenshot(page, "inventory-list");
    const products = await app.core.inventory.list({ tenantId: app.tenant.id });
    expect(products.map((p) => [p.name, p.sku, p.priceMinor, p.stockOnHand, p.lowStockThreshold])).toEqual([
      ["Texture paste", "TP-75", 89_00, 2, 5],
      ["Volume shampoo", "VS-250", 129_95, 12, 4],
    ]);

    // The low-stock filter.
    await page.getByLabel("Low stock only").check();
    await page.waitForURL((url) => url.searchParams.get("low") === "1");
    expect(await rows.allInnerTexts()).toEqual([expect.stringContaining("Texture paste")]);
  });

  it("creates a product with a comma price, records a delivery and a stock take with a reason", async () => {
    const page = await newPage(browser, app);
    await signIn(page, manager);
    await page.goto("/inventory/new");
    await page.getByLabel("Name").fill("Sea salt spray");
    await page.getByLabel("SKU").fill("SSS-1");
    await page.getByLabel("Price (DKK)").fill("12,50");
    await page.getByLabel("Low-stock threshold").fill("2");
    await page.getByLabel("Stock on hand").fill("1");
    await page.getByRole("button", { name: "Create product" }).click();
    await page.waitForURL(/\/inventory\/[0-9a-f-]{36}$/);
    const productId = new URL(page.url()).pathname.split("/").pop()!;
    expect(await page.getByTestId("stock-on-hand").innerText()).toBe("1 pcs");

    await page.getByLabel("Quantity received").fill("6");
    await page.getByLabel("Note").fill("Invoice 77");
    await page.getByRole("button", { name: "Add to stock" }).click();
    await expect.poll(() => page.getByTestId("stock-on-hand").innerText()).toBe("7 pcs");

    // A stock take without a reason is refused; with one it records the difference.
    await page.getByLabel("Quantity counted on the shelf").fill("5");
    await page.evaluate(() => document.querySelectorAll("form").forEach((f) => f.setAttribute("novalidate", "")));
    await page.getByRole("button", { name: "Adjust" }).click();
    await expect.poll(() => page.locator("#field-reason-error, #adjust-reason-error").innerText()).toBe("Say why the stock changes");
    await page.getByLabel("Reason").fill("Stock take");
    await page.getByRole("button", { name: "Adjust" }).click();
    await expect.poll(() => page.getByTestId("stock-on-hand").innerText()).toBe("5 pcs");
    const history = page.getByRole("table", { name: "Stock movements, newest first" }).locator("tbody tr");
    expect(await history.allInnerTexts()).toEqual([
      expect.stringMatching(/Adjustment\s+-2\s+5\s+Mona Manager\s+Stock take/),
      expect.stringMatching(/Delivery\s+\+6\s+7\s+Mona Manager\s+Invoice 77/),
      expect.stringMatching(/Adjustment\s+\+1\s+1\s+Mona Manager\s+Opening stock/),
    ]);
    await screenshot(page, "inventory-product");
    expect(await app.core.inventory.get({ tenantId: app.tenant.id, productId })).toMatchObject({ priceMinor: 12_50, stockOnHand: 5 });
  });

  it("exports .xlsx and .csv for a signed-in manager only", async () => {
    const page = await newPage(browser, app);
    await signIn(page, manager);
    await page.goto("/inventory");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export .xlsx" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^products-demo-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const csv = await page.request.get("/inventory/export/csv");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="products-demo-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(await csv.text()).toContain("Volume shampoo,VS-250,5701000000011,pcs,0.00,129.95,12,4");

    const anonymous = await fetch(`${app.baseUrl}/inventory/export/csv`, { redirect: "manual", headers: { accept: "text/csv" } });
    expect(anonymous.status).toBe(401);
  });

  it("the inventory pages fit a phone", async () => {
    const page = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    await signIn(page, manager);
    for (const path of ["/inventory", "/inventory/new", "/inventory/import"]) {
      await page.goto(path);
      expect([path, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([path, PHONE_VIEWPORT.width]);
    }
    await page.goto("/inventory");
    await page.getByRole("link", { name: "Volume shampoo" }).click();
    await page.waitForURL(/\/inventory\/[0-9a-f-]{36}$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE_VIEWPORT.width);
    await screenshot(page, "phone-inventory-product");
  });
});
