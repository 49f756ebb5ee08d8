/**
 * Clients (CRM) in Chromium against the real server: a manager adds a client, finds them by phone
 * digits, opens the profile, edits it (an invalid phone shows the country's example), and merges a
 * duplicate after the preview; the duplicate's address then leads to the kept client. Staff may
 * not open the client pages.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPage, PHONE_VIEWPORT, screenshot, signIn, startAppAndBrowser, stopAppAndBrowser, type TestApp } from "./harness.js";

describe("clients (Chromium)", () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    ({ app, browser } = await startAppAndBrowser());
  });
  afterAll(() => stopAppAndBrowser({ app, browser }));

  it("adds, searches, edits and merges clients", async () => {
    const manager = await app.createAccount("manager");
    const page = await newPage(browser, app);
    await signIn(page, manager);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
    await page.getByRole("heading", { name: "Clients" }).waitFor();

    // New client: a bad phone first, then a good one.
    await page.getByText("New client").click();
    await page.getByLabel("Name").fill("Nora Test");
    await page.getByLabel("Phone").fill("123");
    await page.getByRole("button", { name: "Add client" }).click();
    await expect.poll(() => page.locator("#field-phone-error").innerText()).toMatch(/^Enter a valid phone number, e\.g\. \+45 /);
    await page.getByLabel("Phone").fill("20 11 22 33");
    await page.getByRole("button", { name: "Add client" }).click();
    await page.getByRole("heading", { name: "Nora Test" }).waitFor();
    const keepId = new URL(page.url()).pathname.split("/").pop()!;
    expect(await page.locator(".facts").innerText()).toContain("+4520112233");

    // A duplicate record of the same person, with a booking, made elsewhere (a messenger).
    const dup = await app.core.crm.createClient({ tenantId: app.tenant.id, name: "Nora T", phone: "+4540112233", tags: ["regular"] });
    const anna = await app.db.prisma.staff.findFirstOrThrow({ where: { tenantId: app.tenant.id, name: "Anna" } });
    const cut = await app.db.prisma.service.findFirstOrThrow({ where: { tenantId: app.tenant.id, name: "Women's haircut" } });
    const [day] = await app.core.availability.findDays({ tenantId: app.tenant.id, serviceId: cut.id, staffId: anna.id });
    const [slot] = await app.core.availability.findSlotsOnDay({ tenantId: app.tenant.id, serviceId: cut.id, staffId: anna.id, date: day!.date });
    const booking = await app.core.bookings.book({ tenantId: app.tenant.id, serviceId: cut.id, staffId: anna.id, startsAt: slot!.startsAt, channel: "telegram", clientId: dup.id, actor: "test" });

    // Search by phone digits, formatting ignored.
    await page.getByRole("link", { name: "← Clients" }).click();
    await page.getByLabel("Search clients").fill("11 22 33");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=11/);
    await expect.poll(() => page.locator(".list .name").allInnerTexts()).toEqual(["Nora T", "Nora Test"]);
    await screenshot(page, "clients-list");

    // Edit: an invalid phone is refused with an example; then a birthday, tags and notes.
    await page.getByRole("link", { name: /^Nora Test/ }).click();
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Phone").fill("99");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator("#field-phone-error").innerText()).toMatch(/^Enter a valid phone number, e\.g\. \+45 /);
    await page.getByLabel("Phone").fill("20 11 22 33");
    await page.getByLabel("Birthday").fill("05-17");
    await page.getByLabel("Tags").fill("vip");
    await page.getByLabel("Notes").fill("Likes quiet appointments");
    await page.getByLabel("Agreed to marketing messages").check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    expect(await page.locator(".facts").innerText()).toContain("May 17");

    // Merge: find the duplicate, preview what moves, confirm.
    await page.getByRole("link", { name: "Merge a duplicate" }).click();
    await page.getByLabel("Find the duplicate").fill("Nora");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: /^Nora T/ }).click();
    await page.getByRole("heading", { name: "Merge Nora T into Nora Test?" }).waitFor();
    const preview = await page.locator(".preview").innerText();
    expect(preview).toContain("1 booking moves to Nora Test");
    expect(preview).toContain("Tags added: regular.");
    expect(preview).toContain("Nora Test keeps the phone +4520112233");
    await screenshot(page, "client-merge-preview");
    expect((await app.db.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } })).clientId).toBe(dup.id);
    await page.getByRole("button", { name: "Merge into Nora Test" }).click();
    await page.getByText("The two records are merged").waitFor();
    expect(await page.locator("#upcoming-title + ul").innerText()).toContain("Women's haircut · Anna");
    expect((await app.db.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } })).clientId).toBe(keepId);

    // The duplicate's address leads to the kept client.
    await page.goto(`/clients/${dup.id}`);
    await page.waitForURL(`**/clients/${keepId}`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Nora Test");

    // The profile at phone width.
    const phone = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    await signIn(phone, manager);
    await phone.goto(`/clients/${keepId}`);
    await phone.getByRole("heading", { name: "Nora Test" }).waitFor();
    await screenshot(phone, "client-profile-phone");
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it("staff may not open the client pages", async () => {
    const staff = await app.createAccount("staff");
    const page = await newPage(browser, app);
    await signIn(page, staff);
    const res = await page.goto("/clients");
    expect(res?.status()).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Not allowed");
  });
});
