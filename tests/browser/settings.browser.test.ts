/**
 * Settings in Chromium against the real server: the owner changes booking rules, adds a service
 * with a price typed in the salon currency, and changes a staff member's working hours and time
 * off; the public booking page's times change accordingly. Errors from the form and from core
 * show on the page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPage, PHONE_VIEWPORT, screenshot, signIn, startAppAndBrowser, stopAppAndBrowser, type TestApp } from "./harness.js";

/** A Tuesday in Copenhagen at least 3 days ahead (inside the demo salon's 60-day horizon). */
function nextTuesday(): string {
  const day = new Date(Date.now() + 3 * 86_400_000);
  for (;;) {
    const local = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Copenhagen", year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" }).formatToParts(day);
    const get = (t: string) => local.find((p) => p.type === t)!.value;
    if (get("weekday") === "Tue") return `${get("year")}-${get("month")}-${get("day")}`;
    day.setTime(day.getTime() + 86_400_000);
  }
}

describe("settings (Chromium)", () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    ({ app, browser } = await startAppAndBrowser());
  });
  afterAll(() => stopAppAndBrowser({ app, browser }));

  it("salon rules and a new service with a typed price", async () => {
    const owner = await app.createAccount("owner");
    const page = await newPage(browser, app);
    await signIn(page, owner);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Salon" }).waitFor();
    expect(await page.getByLabel("Time zone").inputValue()).toBe("Europe/Copenhagen");

    await page.getByLabel("Hold (minutes)").fill("0");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator("#field-holdMinutes-error").innerText()).not.toBe("");
    await page.getByLabel("Hold (minutes)").fill("15");
    await page.getByLabel("Minimum notice (minutes)").fill("30");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    expect(await app.core.catalog.getTenant(app.tenant.id)).toMatchObject({ holdMinutes: 15, minimumNoticeMinutes: 30 });
    await screenshot(page, "settings-salon");

    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Services" }).click();
    await page.getByRole("link", { name: "New service" }).click();
    await page.getByLabel("Name").fill("Scalp massage");
    await page.getByLabel("Duration (minutes)").fill("25");
    await page.getByLabel("Price (DKK)").fill("gratis");
    await page.getByLabel("Anna").check();
    await page.getByRole("button", { name: "Add service" }).click();
    await expect.poll(() => page.locator("#field-price-error").innerText()).toBe("Enter an amount such as 450.00");
    await page.getByLabel("Price (DKK)").fill("199,50");
    await page.getByRole("button", { name: "Add service" }).click();
    await page.waitForURL("**/settings/services");
    expect(await page.getByRole("link", { name: /^Scalp massage/ }).innerText()).toMatch(/DKK\s?199\.50[\s\S]*25 min[\s\S]*Anna/);
    expect(await app.db.prisma.service.findFirstOrThrow({ where: { tenantId: app.tenant.id, name: "Scalp massage" } })).toMatchObject({ priceMinor: 19950, durationMinutes: 25, active: true });
    await screenshot(page, "settings-services");

    // Invite a staff member: a one-time link, shown once, that opens the set-password page.
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Accounts" }).click();
    await page.getByLabel("Name").fill("Ben Chair");
    await page.getByLabel("Email").fill("ben.chair@browser.test");
    await page.getByLabel("Works in the calendar as").selectOption({ label: "Ben" });
    await page.getByRole("button", { name: "Create account and link" }).click();
    const link = await page.getByLabel("Sign-in link").inputValue();
    expect(link).toMatch(new RegExp(`^${app.baseUrl}/auth/link/[A-Za-z0-9_-]{43}$`));
    await screenshot(page, "settings-accounts");
    const invitee = await newPage(browser, app);
    await invitee.goto(link);
    expect(await invitee.getByRole("heading", { level: 1 }).innerText()).toBe("Set your password");
  });

  it("working hours and time off change the public booking page's times", async () => {
    const owner = await app.createAccount("owner");
    const page = await newPage(browser, app);
    await signIn(page, owner);
    const ben = await app.db.prisma.staff.findFirstOrThrow({ where: { tenantId: app.tenant.id, name: "Ben" } });
    const beard = await app.db.prisma.service.findFirstOrThrow({ where: { tenantId: app.tenant.id, name: "Beard trim" } });
    const tuesday = nextTuesday();
    const client = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    const times = async (): Promise<string[]> => {
      await client.goto(`/book/${app.tenant.slug}?service=${beard.id}&staff=${ben.id}&date=${tuesday}`);
      return client.locator("button.slot").allInnerTexts();
    };
    // Ben works Tuesdays 11:00–19:00 with a break 15:00–15:30.
    const before = await times();
    expect(before[0]).toBe("11:00 AM");
    expect(before).not.toContain("03:00 PM");

    await page.goto("/settings/staff");
    await page.getByRole("link", { name: /^Ben/ }).click();
    await page.getByRole("heading", { name: "Ben" }).waitFor();
    // A break outside the new hours: refused by core, shown on the page, nothing saved.
    await page.locator("#work-2-0-start").fill("09:00");
    await page.locator("#work-2-0-end").fill("12:00");
    await page.getByRole("button", { name: "Save working hours" }).click();
    await expect.poll(() => page.locator("form.hours .alert").innerText()).toBe("A break on Tuesday lies outside the working hours");
    expect(await times()).toEqual(before);

    await page.getByRole("button", { name: "Remove Tuesday breaks 1" }).click();
    await page.locator("#work-2-0-end").fill("08:00");
    await page.getByRole("button", { name: "Save working hours" }).click();
    await expect.poll(() => page.locator("form.hours .error").first().innerText()).toBe("Must end after it starts");
    await page.locator("#work-2-0-end").fill("12:00");
    await page.getByRole("button", { name: "Save working hours" }).click();
    await page.getByText("Working hours saved.").waitFor();
    await screenshot(page, "settings-staff-hours");

    const after = await times();
    expect(after[0]).toBe("09:00 AM");
    expect(after[after.length - 1]).toBe("11:30 AM"); // 20 min + 5 min buffer must end by 12:00
    expect(after).not.toContain("03:30 PM");

    // Time off that morning, typed on the salon's clock: the first free time moves to 10:00.
    await page.getByLabel("From", { exact: true }).fill(`${tuesday}T09:00`);
    await page.getByLabel("Until", { exact: true }).fill(`${tuesday}T10:00`);
    await page.getByLabel("Reason").fill("Dentist");
    await page.getByRole("button", { name: "Add time off" }).click();
    await page.getByText("Dentist").waitFor();
    expect((await times())[0]).toBe("10:00 AM");
    const off = await app.db.prisma.timeOff.findFirstOrThrow({ where: { staffId: ben.id, reason: "Dentist" } });
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Copenhagen", hour: "2-digit", minute: "2-digit" }).format(off.startsAt)).toBe("09:00");

    // A closed date override: no times that day at all.
    await page.getByLabel("Date", { exact: true }).fill(tuesday);
    await page.getByLabel("Closed all day").check();
    await page.getByRole("button", { name: "Save date" }).click();
    await expect.poll(() => page.locator("#override-title ~ .items").innerText()).toContain("Closed");
    expect(await times()).toEqual([]);
    expect(await client.getByText("No free times on this day any more.").count()).toBe(1);

    // The staff page at phone width.
    const phone = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    await signIn(phone, owner);
    await phone.goto(`/settings/staff/${ben.id}`);
    await phone.getByRole("heading", { name: "Ben" }).waitFor();
    await screenshot(phone, "settings-staff-phone");
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });

  it("managers may not open the settings", async () => {
    const manager = await app.createAccount("manager");
    const page: Page = await newPage(browser, app);
    await signIn(page, manager);
    const res = await page.goto("/settings/staff");
    expect(res?.status()).toBe(403);
  });
});
