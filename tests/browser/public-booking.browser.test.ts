/**
 * The public booking page /book/<salon> in Chromium at phone width, against the real server and
 * the demo salon: book end to end (and see the booking in the database), a time taken between
 * the pick and the confirm (the grid comes back with alternatives), a time taken before the pick
 * (refused in place, the grid refreshed), the whole flow without JavaScript, and an unknown salon.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPage, PHONE_VIEWPORT, screenshot, startAppAndBrowser, stopAppAndBrowser, type TestApp } from "./harness.js";

describe("public booking page (Chromium, phone width)", () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    ({ app, browser } = await startAppAndBrowser());
  });
  afterAll(() => stopAppAndBrowser({ app, browser }));

  /** Service → who → the first day with free times; returns the day's time buttons. */
  async function toTimeGrid(page: Page, service: string, who: string) {
    await page.goto(`/book/${app.tenant.slug}`);
    await page.getByRole("link", { name: new RegExp(`^${service}`) }).click();
    await page.getByRole("heading", { name: "Who would you like?" }).waitFor();
    await page.getByRole("link", { name: new RegExp(`^${who}`) }).click();
    await page.getByRole("heading", { name: "Choose a day" }).waitFor();
    await page.locator("ul.days a").first().click();
    await page.getByRole("heading", { name: "Choose a time" }).waitFor();
    return page.locator("button.slot");
  }

  /** The booking held for the page's browser (the newest hold of the salon). */
  async function newestHold() {
    return app.db.prisma.booking.findFirstOrThrow({ where: { tenantId: app.tenant.id, status: "held" }, orderBy: { createdAt: "desc" } });
  }

  it("books end to end: service, anyone, day, time, phone and name → confirmed in the database", async () => {
    const page = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    await page.goto(`/book/${app.tenant.slug}`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Choose a service");
    expect(await page.getByRole("link", { name: /^Men's haircut/ }).innerText()).toMatch(/30 min · DKK\s?300\.00/);
    await screenshot(page, "book-services-phone");

    const slots = await toTimeGrid(page, "Men's haircut", "Anyone");
    await screenshot(page, "book-times-phone");
    const time = await slots.first().innerText();
    await slots.first().click();
    await page.waitForURL("**/details");
    expect(await page.locator(".when").innerText()).toContain(time);
    await expect.poll(() => page.locator(".left").innerText()).toMatch(/^\d+:\d\d$/);
    await page.getByLabel("Phone number").fill("20 12 34 56");
    await page.getByLabel("Your name").fill("Web Tester");
    await screenshot(page, "book-details-phone");
    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.waitForURL("**/done/**");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("You are booked");
    expect(await page.locator(".time").innerText()).toContain(time);
    await screenshot(page, "book-done-phone");

    const bookingId = new URL(page.url()).pathname.split("/").pop()!;
    const booking = await app.db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId }, include: { client: true, service: true } });
    expect(booking).toMatchObject({ status: "confirmed", channel: "web", service: { name: "Men's haircut" }, client: { name: "Web Tester", phone: "+4520123456" } });
    // The page shows times as the salon's locale ("en") and zone do.
    expect(new Intl.DateTimeFormat("en", { timeZone: "Europe/Copenhagen", hour: "2-digit", minute: "2-digit" }).format(booking.startsAt)).toBe(time);

    // A second visit from the same browser is recognised.
    await (await toTimeGrid(page, "Beard trim", "Ben")).first().click();
    await page.waitForURL("**/details");
    expect(await page.getByLabel("Your name").inputValue()).toBe("Web Tester");
    await page.getByRole("button", { name: "Pick another time" }).click();
    await page.getByRole("heading", { name: "Choose a time" }).waitFor();
  });

  it("a time given away between the pick and the confirm: the grid comes back with alternatives", async () => {
    const page = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    const slots = await toTimeGrid(page, "Women's haircut", "Anyone");
    const time = await slots.first().innerText();
    await slots.first().click();
    await page.waitForURL("**/details");
    const held = await newestHold();

    // The hold lapses and a phone booking at the desk takes exactly that time and person.
    await app.db.prisma.booking.update({ where: { id: held.id }, data: { holdExpiresAt: new Date(Date.now() - 60_000) } });
    const caller = await app.core.crm.createClient({ tenantId: app.tenant.id, name: "Phone caller" });
    await app.core.bookings.book({ tenantId: app.tenant.id, serviceId: held.serviceId, staffId: held.staffId, startsAt: held.startsAt, channel: "admin", clientId: caller.id, actor: "test", policy: "staff" });
    // ... and the other person who does the service is busy then too.
    const others = await app.db.prisma.staffService.findMany({ where: { serviceId: held.serviceId, staffId: { not: held.staffId } } });
    for (const o of others) {
      await app.core.bookings.book({ tenantId: app.tenant.id, serviceId: held.serviceId, staffId: o.staffId, startsAt: held.startsAt, channel: "admin", clientId: caller.id, actor: "test", policy: "staff" }).catch(() => undefined);
    }

    await page.getByLabel("Phone number").fill("30 12 34 56");
    await page.getByLabel("Your name").fill("Too Late");
    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.getByRole("heading", { name: "Choose a time" }).waitFor();
    const alert = page.getByRole("alert");
    expect(await alert.innerText()).toContain(`Sorry, ${time} was just taken.`);
    const alternatives = alert.getByRole("button");
    expect(await alternatives.count()).toBeGreaterThan(0);
    expect(await slots.allInnerTexts()).not.toContain(time);
    await screenshot(page, "book-slot-taken-phone");

    const alternative = await alternatives.first().getAttribute("value");
    await alternatives.first().click();
    await page.waitForURL("**/details");
    expect((await newestHold()).startsAt.toISOString()).toBe(alternative);
    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.waitForURL("**/done/**");
    const bookingId = new URL(page.url()).pathname.split("/").pop()!;
    expect((await app.db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("confirmed");
  });

  it("a time taken before the pick is refused in place and the grid refreshes", async () => {
    const page = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    const slots = await toTimeGrid(page, "Colour", "Clara");
    const value = await slots.nth(1).getAttribute("value");
    const time = await slots.nth(1).innerText();
    const service = await app.db.prisma.service.findFirstOrThrow({ where: { tenantId: app.tenant.id, name: "Colour" } });
    const clara = await app.db.prisma.staff.findFirstOrThrow({ where: { tenantId: app.tenant.id, name: "Clara" } });
    const caller = await app.core.crm.createClient({ tenantId: app.tenant.id, name: "Earlier caller" });
    await app.core.bookings.book({ tenantId: app.tenant.id, serviceId: service.id, staffId: clara.id, startsAt: new Date(value!), channel: "admin", clientId: caller.id, actor: "test" });

    await slots.nth(1).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).toContain(`Sorry, ${time} was just taken.`);
    await expect.poll(() => slots.allInnerTexts()).not.toContain(time);
    expect(new URL(page.url()).pathname).toBe(`/book/${app.tenant.slug}`);
  });

  it("works without JavaScript: every step a plain GET or POST", async () => {
    const context = await browser.newContext({ baseURL: app.baseUrl, viewport: PHONE_VIEWPORT, javaScriptEnabled: false, locale: "en-GB" });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const slots = await toTimeGrid(page, "Men's haircut", "Ben");
    await slots.first().click();
    await page.waitForURL("**/details");
    await page.getByLabel("Phone number").fill("1");
    await page.getByLabel("Your name").fill("No Script");
    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.locator("#field-phone-error").waitFor();
    expect(await page.locator("#field-phone-error").innerText()).toMatch(/^Enter a valid phone number, e\.g\. \+45 /);
    await page.getByLabel("Phone number").fill("+45 40 12 34 56");
    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.waitForURL("**/done/**");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("You are booked");
    const bookingId = new URL(page.url()).pathname.split("/").pop()!;
    expect(await app.db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId }, include: { staff: true } })).toMatchObject({ status: "confirmed", channel: "web", staff: { name: "Ben" } });
    await context.close();
  });

  it("an unknown salon is a 404", async () => {
    const res = await fetch(`${app.baseUrl}/book/no-such-salon`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("There is no salon at this address");
  });
});
