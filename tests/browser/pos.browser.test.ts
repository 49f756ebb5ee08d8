/**
 * Point of sale in Chromium: a booking checked out in three clicks from the calendar (open the
 * booking → Checkout → Pay), a checkout from the POS page with a product added by keyboard (stock
 * refused above what is on hand, then sold, and the stock drop seen on the inventory pages), a
 * partial refund, the daily close, and the pages at phone width.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClient } from "@chairside/core/testing";
import { localDateOf } from "../../admin/src/lib/zone.js";
import { launchBrowser, newPage, PHONE_VIEWPORT, screenshot, signIn, startApp, type TestAccount, type TestApp } from "./harness.js";

/** Clicks `target`, counting the click. */
async function click(counter: { clicks: number }, target: ReturnType<Page["locator"]>): Promise<void> {
  counter.clicks++;
  await target.click();
}

describe("point of sale (Chromium)", () => {
  let app: TestApp;
  let browser: Browser;
  let owner: TestAccount;
  let staff: { id: string; name: string }[];
  let serviceId: string;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    owner = await app.createAccount("owner", { name: "Olga Owner" });
    staff = await app.db.prisma.staff.findMany({ where: { tenantId: app.tenant.id }, select: { id: true, name: true }, orderBy: { name: "asc" } });
    serviceId = (await app.db.prisma.service.findFirstOrThrow({ where: { tenantId: app.tenant.id, name: "Men's haircut" } })).id;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /**
   * A confirmed 30-minute "Men's haircut" (300.00 DKK) starting now (to the minute) with `staffName`,
   * written straight to the database so it is today whenever the test runs (the booking rules
   * would refuse a slot outside working hours).
   */
  async function bookingNow(clientName: string, staffName: string): Promise<string> {
    const clientId = await createTestClient(app.db.prisma, app.tenant.id, clientName);
    const startsAt = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const endsAt = new Date(startsAt.getTime() + 30 * 60_000);
    const booking = await app.db.prisma.booking.create({
      data: {
        tenantId: app.tenant.id,
        staffId: staff.find((s) => s.name === staffName)!.id,
        serviceId,
        clientId,
        status: "confirmed",
        startsAt,
        endsAt,
        blockedFrom: startsAt,
        blockedUntil: endsAt,
        priceMinor: 300_00,
        currency: "DKK",
        channel: "admin",
      },
    });
    return booking.id;
  }

  it("checks out a booking from the calendar in three clicks: open the booking, Checkout, Pay", async () => {
    const bookingId = await bookingNow("Ada Three-Clicks", "Anna");
    const page = await newPage(browser, app);
    await signIn(page, owner);
    const today = localDateOf(new Date(), app.tenant.timeZone);
    await page.goto(`/calendar?date=${today}&view=day`);
    const event = page.locator(".ec-event", { hasText: "Ada Three-Clicks" });
    await event.waitFor();
    await screenshot(page, "pos-calendar-booking");

    const counter = { clicks: 0 };
    await click(counter, event);
    await click(counter, page.getByRole("link", { name: "Checkout" }));
    await page.waitForURL(`**/pos/checkout/${bookingId}`);
    expect(await page.getByTestId("total").innerText()).toMatch(/300\.00/);
    await screenshot(page, "pos-checkout-booking");
    await click(counter, page.getByRole("button", { name: /^Pay / }));
    await page.waitForURL("**/pos/sales/*");
    expect(counter.clicks).toBe(3);

    const saleId = new URL(page.url()).pathname.split("/").pop()!;
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Chairside Demo Salon");
    expect(await page.getByTestId("receipt-total").innerText()).toMatch(/300\.00/);
    expect(await page.locator(".receipt").innerText()).toContain("Paid by card");
    await screenshot(page, "pos-receipt");
    const sale = await app.core.pos.getSale({ tenantId: app.tenant.id, saleId });
    expect(sale).toMatchObject({ bookingId, totalMinor: 300_00, actor: `staff:${owner.account.id}` });
    expect(sale.payments).toMatchObject([{ kind: "payment", method: "card", amountMinor: 300_00 }]);
    expect((await app.core.bookings.getBooking({ tenantId: app.tenant.id, bookingId })).status).toBe("completed");

    // The same booking again: the page links to the sale instead of selling twice.
    await page.goto(`/pos/checkout/${bookingId}`);
    await page.getByRole("link", { name: "See the receipt" }).click();
    await page.waitForURL(`**/pos/sales/${saleId}`);
  });

  it("checks out from the POS page with a product added by keyboard, pays cash with change, and the stock drops", async () => {
    const product = await app.core.inventory.create({
      tenantId: app.tenant.id,
      name: "Argan hair oil",
      sku: "ARG-50",
      priceMinor: 149_00,
      stockOnHand: 5,
      lowStockThreshold: 4,
      actor: "staff:setup",
    });
    const bookingId = await bookingNow("Ben Product", "Clara");
    const page = await newPage(browser, app);
    await signIn(page, owner);
    await page.goto("/pos");
    await screenshot(page, "pos-today");
    await page.getByRole("link", { name: /^Checkout Ben Product/ }).click();
    await page.waitForURL(`**/pos/checkout/${bookingId}`);

    // Type to find the product; Enter adds the highlighted match.
    const search = page.getByRole("combobox", { name: "Add a service or product" });
    await search.fill("argan");
    await expect.poll(() => page.getByRole("option").allInnerTexts()).toEqual([expect.stringContaining("Argan hair oil")]);
    await search.press("Enter");
    const quantity = page.getByLabel("Quantity of Argan hair oil");
    await quantity.waitFor();

    // More than is in stock: the server refuses and names the product and what is left.
    await quantity.fill("9");
    await quantity.blur();
    await page.getByRole("button", { name: /^Pay / }).click();
    await expect.poll(() => page.getByRole("alert").first().innerText()).toBe('Not enough of "Argan hair oil" in stock: 5 pcs available.');
    expect(await page.locator(".line", { hasText: "Argan hair oil" }).innerText()).toContain("Only 5 in stock");
    expect(new URL(page.url()).pathname).toBe(`/pos/checkout/${bookingId}`);
    await screenshot(page, "pos-checkout-insufficient-stock");

    // Two bottles, a 20.00 tip, cash: 300 + 298 + 20 = 618.00, 1000 tendered → 382.00 change.
    await quantity.fill("2");
    await quantity.blur();
    await page.getByRole("textbox", { name: "Tip", exact: true }).fill("20,00");
    await page.getByLabel("Cash", { exact: true }).check();
    await page.getByLabel("Cash tendered").fill("1000");
    await expect.poll(() => page.getByTestId("total").innerText()).toMatch(/618\.00/);
    expect(await page.getByTestId("change").innerText()).toMatch(/382\.00/);
    await screenshot(page, "pos-checkout-cash-change");
    await page.getByRole("button", { name: /^Pay / }).click();
    await page.waitForURL("**/pos/sales/*");
    expect(await page.getByTestId("receipt-change").innerText()).toMatch(/382\.00/);
    const saleId = new URL(page.url()).pathname.split("/").pop()!;

    const sale = await app.core.pos.getSale({ tenantId: app.tenant.id, saleId });
    expect(sale).toMatchObject({ bookingId, subtotalMinor: 598_00, tipMinor: 20_00, totalMinor: 618_00, changeDueMinor: 382_00 });
    expect(sale.payments).toMatchObject([{ method: "cash", amountMinor: 618_00, tenderedMinor: 1000_00, changeMinor: 382_00 }]);
    expect((await app.core.inventory.get({ tenantId: app.tenant.id, productId: product.id })).stockOnHand).toBe(3);

    // The stock drop on the inventory list (with the low-stock badge) and in the product's history.
    await page.goto("/inventory");
    expect(await page.getByTestId(`stock-${product.id}`).innerText()).toMatch(/^3 pcs\s*Low$/);
    await page.getByRole("link", { name: "Argan hair oil" }).click();
    await page.waitForURL(`**/inventory/${product.id}`);
    expect(await page.getByTestId("stock-on-hand").innerText()).toBe("3 pcs");
    const history = page.getByRole("table", { name: "Stock movements, newest first" });
    expect(await history.locator("tbody tr").first().innerText()).toMatch(/Sale\s+-2\s+3\s+Olga Owner/);
    await screenshot(page, "inventory-product-after-sale");

    // Refund one bottle by cash from the receipt: back into stock.
    await page.goto(`/pos/sales/${saleId}`);
    await page.getByRole("button", { name: "Refund…" }).click();
    const oilLine = sale.lines.find((l) => l.productId === product.id)!;
    await page.getByLabel(/^Argan hair oil/).fill("1");
    await page.getByLabel("Pay back by").selectOption("cash");
    await page.getByRole("button", { name: "Refund selected" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toMatch(/^Refunded DKK\s149\.00 by cash\.$/);
    expect((await app.core.inventory.get({ tenantId: app.tenant.id, productId: product.id })).stockOnHand).toBe(4);
    expect((await app.core.pos.getSale({ tenantId: app.tenant.id, saleId })).lines.find((l) => l.id === oilLine.id)?.refundedQuantity).toBe(1);
    await screenshot(page, "pos-receipt-refund");

    // The daily close counts it: cash 618 in, 149 out.
    await page.goto("/reports");
    expect(await page.getByTestId("method-cash").innerText()).toMatch(/618\.00\s+−DKK\s149\.00\s+DKK\s469\.00\s+2/);
    await screenshot(page, "reports-daily-close");
  });

  it("a sale without a booking, split between card and cash", async () => {
    const page = await newPage(browser, app);
    await signIn(page, owner);
    await page.goto("/pos");
    await page.getByRole("link", { name: "New sale" }).click();
    await page.waitForURL("**/pos/checkout");
    const search = page.getByRole("combobox", { name: "Add a service or product" });
    await search.fill("beard");
    await search.press("ArrowDown");
    await search.press("Enter");
    await expect.poll(() => page.getByTestId("total").innerText()).toMatch(/150\.00/);
    await page.getByLabel("Amount").fill("100");
    await page.getByRole("button", { name: /^Split/ }).click();
    expect(await page.getByLabel("Amount").inputValue()).toBe("50.00");
    await page.getByLabel("Cash", { exact: true }).check();
    await page.getByRole("button", { name: /^Pay / }).click();
    await page.waitForURL("**/pos/sales/*");
    const sale = await app.core.pos.getSale({ tenantId: app.tenant.id, saleId: new URL(page.url()).pathname.split("/").pop()! });
    expect(sale.payments.map((p) => [p.method, p.amountMinor])).toEqual([
      ["card", 100_00],
      ["cash", 50_00],
    ]);
  });

  it("the till, the receipt and the POS page fit a phone", async () => {
    const bookingId = await bookingNow("Cleo Phone", "Ben");
    const page = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    await signIn(page, owner);
    for (const path of ["/pos", `/pos/checkout/${bookingId}`]) {
      await page.goto(path);
      expect([path, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([path, PHONE_VIEWPORT.width]);
    }
    await screenshot(page, "phone-pos-checkout");
    await page.getByRole("button", { name: /^Pay / }).click();
    await page.waitForURL("**/pos/sales/*");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(PHONE_VIEWPORT.width);
    await screenshot(page, "phone-pos-receipt");
  });
});
