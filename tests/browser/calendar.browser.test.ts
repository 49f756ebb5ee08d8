/**
 * The staff calendar in Chromium, with the browser in New York and the salon in Copenhagen (times
 * must show on the salon's clock): book by clicking an empty slot, see a booking made through
 * "Telegram" (core, directly) appear without a reload, drag onto a colliding booking and see it
 * refused and snapped back, drag to a free column, a staff account's single column, and
 * screenshots of the day and week views (desktop and phone).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BookingView, StaffView } from "@chairside/core";
import { addDays, instantOf, isoWeekday, todayIn } from "../../admin/src/lib/zone.js";
import { launchBrowser, PHONE_VIEWPORT, screenshot, signIn, startApp, type TestAccount, type TestApp } from "./harness.js";

/** The browser's zone: six hours behind the salon's (Europe/Copenhagen). */
const BROWSER_ZONE = "America/New_York";
/** Slot height (px) and step (min) the page configures for the demo salon. */
const SLOT_PX = 22;
const STEP_MIN = 15;

/**
 * The `n`-th Tuesday–Friday after tomorrow in the salon (all three demo staff work then): distinct
 * `n` give distinct days whatever weekday the suite runs on, so one test's bookings never stand
 * in another's way.
 */
function workday(zone: string, n: number): string {
  let day = addDays(todayIn(zone), 1);
  for (let found = 0; found < n; ) {
    day = addDays(day, 1);
    if ([2, 3, 4, 5].includes(isoWeekday(day))) found++;
  }
  return day;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The page point of `time` ("HH:mm", salon clock) in `staff`'s column of the day view. */
async function slotPoint(page: Page, staff: string, time: string): Promise<{ x: number; y: number }> {
  const head = await page.locator(`.ec-col-head span[aria-label$=", ${staff}"]`).first().boundingBox();
  const grid = await page.locator(".ec-body .ec-day").first().boundingBox();
  const first = await page.locator(".ec-body .ec-sidebar time").first().getAttribute("datetime");
  if (!head || !grid || !first) throw new Error("calendar grid not found");
  const slots = (minutesOf(time) - minutesOf(first.slice(11, 16))) / STEP_MIN;
  return { x: head.x + head.width / 2, y: grid.y + slots * SLOT_PX + SLOT_PX / 2 };
}

/** Drags the booking showing `text` so that its start lands on `time` in `staff`'s column. */
async function dragBooking(page: Page, text: string, staff: string, time: string, from: string): Promise<void> {
  const box = (await page.locator(".ec-event", { hasText: text }).boundingBox())!;
  const start = { x: box.x + box.width / 2, y: box.y + 6 };
  const source = await slotPoint(page, staff, from);
  const target = await slotPoint(page, staff, time);
  // Keep the grab offset inside the event: move by the slot distance, not to the slot centre.
  const dx = target.x - start.x;
  const dy = target.y - source.y;
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + dx / 2, start.y + dy / 2, { steps: 8 });
  await page.mouse.move(start.x + dx, start.y + dy, { steps: 8 });
  await page.mouse.up();
}

describe("the staff calendar (Chromium, browser in another time zone than the salon)", () => {
  let app: TestApp;
  let browser: Browser;
  let manager: TestAccount;
  let staffByName: Record<string, StaffView>;
  let services: Record<string, string>;
  let phoneCounter = 0;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    manager = await app.createAccount("manager", { name: "Mona Manager" });
    const services0 = await app.core.catalog.listServices(app.tenant.id);
    services = Object.fromEntries(services0.map((s) => [s.name, s.id]));
    const staff = await app.core.catalogAdmin.listStaffForAdmin(app.tenant.id, new Date());
    staffByName = Object.fromEntries(staff.map((s) => [s.name, { id: s.id, name: s.name }]));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });

  /** A salon wall time as the admin prints it (the salon's locale and zone), e.g. "10:00 AM". */
  function clock(day: string, hhmm: string): string {
    return new Intl.DateTimeFormat(app.tenant.locale, { timeZone: app.tenant.timeZone, hour: "2-digit", minute: "2-digit" }).format(instantOf(`${day}T${hhmm}`, app.tenant.timeZone));
  }

  /** A signed-in page whose browser clock is in New York. */
  async function calendarPage(who: TestAccount, path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.baseUrl, viewport, locale: "en-GB", timezoneId: BROWSER_ZONE });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, who);
    await page.goto(path);
    await page.locator(".ec-body .ec-day").first().waitFor();
    await expect.poll(() => page.locator(".live").innerText()).toBe("Live");
    return page;
  }

  /** A client and a confirmed booking made "through Telegram" (core directly, as the bot does). */
  async function telegramBooking(staff: string, day: string, time: string, name: string, service = "Men's haircut"): Promise<BookingView> {
    const client = await app.core.crm.createClient({ tenantId: app.tenant.id, name, phone: `+453441${String(++phoneCounter).padStart(4, "0")}` });
    return app.core.bookings.book({
      tenantId: app.tenant.id,
      serviceId: services[service]!,
      staffId: staffByName[staff]!.id,
      startsAt: instantOf(`${day}T${time}`, app.tenant.timeZone),
      channel: "telegram",
      clientId: client.id,
      actor: `client:${client.id}`,
    });
  }

  it("books by clicking an empty slot: the form opens at that column and time, and the booking is in the database", async () => {
    const day = workday(app.tenant.timeZone, 2);
    const page = await calendarPage(manager, `/calendar?date=${day}&view=day`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Calendar");
    expect(await page.locator(".ec-col-head").allInnerTexts()).toEqual(["Anna", "Ben", "Clara"]);

    const slot = await slotPoint(page, "Anna", "10:00");
    await page.mouse.click(slot.x, slot.y);
    const dialog = page.getByRole("dialog", { name: "New booking" });
    await dialog.waitFor();
    expect(await dialog.getByLabel("Staff").inputValue()).toBe(staffByName.Anna!.id);
    expect(await dialog.getByLabel("Date").inputValue()).toBe(day);
    expect(await dialog.getByLabel("Time").inputValue()).toBe("10:00");
    // Only what Anna does: no Colour, no Beard trim.
    expect(await dialog.getByLabel("Service").locator("option").allInnerTexts()).toEqual([
      "Choose a service…",
      expect.stringMatching(/^Women's haircut · 60 min · /),
      expect.stringMatching(/^Men's haircut · 30 min · /),
    ]);

    // Submitting without a service and client shows field errors, and books nothing.
    await dialog.getByRole("button", { name: "Book" }).click();
    await expect.poll(() => dialog.locator("#book-serviceId-error").innerText()).toBe("Choose a service");
    await dialog.getByLabel("Service").selectOption({ label: await dialog.getByLabel("Service").locator("option").nth(1).innerText() });
    await dialog.getByLabel("New client").check();
    await dialog.getByLabel("Name", { exact: true }).fill("Nora Browser");
    await dialog.getByLabel("Phone").fill("34 41 99 01");
    await screenshot(page, "calendar-new-booking");
    await dialog.getByRole("button", { name: "Book" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain(`Booked Nora Browser for Women's haircut at ${clock(day, "10:00")} with Anna.`);
    expect(await dialog.isVisible()).toBe(false);

    const rows = await app.db.prisma.booking.findMany({ where: { tenantId: app.tenant.id, client: { name: "Nora Browser" } }, include: { events: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "confirmed", channel: "admin", staffId: staffByName.Anna!.id });
    expect(rows[0]!.startsAt.toISOString()).toBe(instantOf(`${day}T10:00`, app.tenant.timeZone).toISOString());
    expect(rows[0]!.events.map((e) => e.actor)).toContain(`staff:${manager.account.id}`);

    // On the salon's clock in a New York browser: the event sits at 10:00 and says so.
    const event = page.locator(".ec-event", { hasText: "Nora Browser" });
    expect(await event.innerText()).toMatch(/\nNora Browser\nWomen's haircut$/);
    const box = (await event.boundingBox())!;
    expect(Math.round(box.y)).toBe(Math.round((await slotPoint(page, "Anna", "10:00")).y - SLOT_PX / 2));

    // One click opens the details, with Checkout right there.
    await event.click();
    const details = page.getByRole("dialog", { name: "Nora Browser" });
    await details.waitFor();
    expect(await details.getByRole("link", { name: "Checkout" }).getAttribute("href")).toBe(`/pos/checkout/${rows[0]!.id}`);
    await expect.poll(() => details.locator(".history li").count()).toBe(2);
    expect(await details.locator(".history").innerText()).toContain("by Mona Manager");
    await details.getByRole("button", { name: "Mark arrived" }).click();
    await expect.poll(() => details.locator(".badge").innerText()).toBe("Arrived");
    expect((await app.db.prisma.booking.findUniqueOrThrow({ where: { id: rows[0]!.id } })).status).toBe("arrived");
    await screenshot(page, "calendar-booking-details");
    await page.keyboard.press("Escape");
    expect(await details.isVisible()).toBe(false);
  });

  it("a booking made through Telegram while the page is open appears without a reload", async () => {
    const day = workday(app.tenant.timeZone, 3);
    const page = await calendarPage(manager, `/calendar?date=${day}&view=day`);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    expect(await page.locator(".ec-event", { hasText: "Tilde Telegram" }).count()).toBe(0);

    await telegramBooking("Clara", day, "14:30", "Tilde Telegram");
    const event = page.locator(".ec-event", { hasText: "Tilde Telegram" });
    await event.waitFor();
    expect(await event.innerText()).toMatch(/\nTilde Telegram\nMen's haircut$/);
    expect(Math.round((await event.boundingBox())!.y)).toBe(Math.round((await slotPoint(page, "Clara", "14:30")).y - SLOT_PX / 2));
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it("a drag onto a booking someone made meanwhile is refused by the database: the reason shows, the event snaps back, nothing changes", async () => {
    const day = workday(app.tenant.timeZone, 4);
    const mine = await telegramBooking("Anna", day, "10:00", "Dora Drag");
    // Tall enough for the whole day: no scrolling while dragging.
    const page = await calendarPage(manager, `/calendar?date=${day}&view=day`, { width: 1280, height: 1600 });
    const event = page.locator(".ec-event", { hasText: "Dora Drag" });
    /** The event's top, relative to its 10:00 slot (0 when it sits there). */
    const offsetFromTen = async () => Math.round((await event.boundingBox())!.y - ((await slotPoint(page, "Anna", "10:00")).y - SLOT_PX / 2));
    expect(await offsetFromTen()).toBe(0);

    // Meanwhile a client books Anna at 11:00 through Telegram; the live feed shows it.
    await telegramBooking("Anna", day, "11:00", "Theo Telegram");
    await page.locator(".ec-event", { hasText: "Theo Telegram" }).waitFor();
    await dragBooking(page, "Dora Drag", "Anna", "11:00", "10:00");
    await expect.poll(() => page.getByRole("alert").innerText()).toContain(`Anna already has a booking then: Theo Telegram, ${clock(day, "11:00")}–${clock(day, "11:30")}.`);
    expect(await page.getByRole("alert").innerText()).toContain("Free then:");
    await expect.poll(offsetFromTen).toBe(0);
    await screenshot(page, "calendar-refused-move");

    const after = await app.core.bookings.getBooking({ tenantId: app.tenant.id, bookingId: mine.id });
    expect([after.staffId, after.startsAt.toISOString()]).toEqual([mine.staffId, mine.startsAt.toISOString()]);
    expect((await app.core.bookings.history({ tenantId: app.tenant.id, bookingId: mine.id })).map((e) => e.type)).toEqual(["held", "confirmed"]);

    // A drag to a free time in another column moves it.
    await page.getByRole("button", { name: "Dismiss" }).click();
    await dragBooking(page, "Dora Drag", "Clara", "15:00", "10:00");
    await expect.poll(() => page.getByRole("status").innerText()).toContain(`Moved Dora Drag to ${clock(day, "15:00")} with Clara.`);
    const moved = await app.core.bookings.getBooking({ tenantId: app.tenant.id, bookingId: mine.id });
    expect([moved.staffName, moved.startsAt.toISOString()]).toEqual(["Clara", instantOf(`${day}T15:00`, app.tenant.timeZone).toISOString()]);
  });

  it("a staff account sees only its own column", async () => {
    const day = workday(app.tenant.timeZone, 5);
    await telegramBooking("Ben", day, "12:00", "Bea Ben");
    await telegramBooking("Anna", day, "12:00", "Ada Anna");
    const anna = await app.createAccount("staff", { staffId: staffByName.Anna!.id, name: "Anna Staff" });
    const page = await calendarPage(anna, `/calendar?date=${day}&view=day`);
    expect(await page.locator(".ec-col-head").allInnerTexts()).toEqual(["Anna"]);
    expect(await page.locator(".ec-body .ec-day").count()).toBe(1);
    await page.locator(".ec-event", { hasText: "Ada Anna" }).waitFor();
    expect(await page.locator(".ec-event", { hasText: "Bea Ben" }).count()).toBe(0);
    // By keyboard: the booking is a button; Enter opens its details.
    await page.locator(".ec-event", { hasText: "Ada Anna" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("dialog", { name: "Ada Anna" }).waitFor();
    await page.keyboard.press("Escape");
    await page.goto(`/calendar?date=${day}&view=week`);
    await page.locator(".ec-body .ec-day").first().waitFor();
    expect(await page.locator(".ec-col-group").allInnerTexts()).toEqual(["Anna"]);
    expect(await page.locator(".ec-body .ec-day").count()).toBe(7);
    await screenshot(page, "calendar-staff-week");
  });

  it("day and week views, on a desktop and at phone width (columns scroll sideways)", async () => {
    const day = workday(app.tenant.timeZone, 2);
    await telegramBooking("Ben", day, "13:00", "Hanne Held");
    await telegramBooking("Clara", day, "10:00", "Carl Colour", "Colour");
    const desktop = await calendarPage(manager, `/calendar?date=${day}&view=day`);
    await screenshot(desktop, "calendar-day");
    await desktop.getByRole("link", { name: "Week" }).click();
    await desktop.waitForURL(`**/calendar?date=${day}&view=week`);
    await desktop.locator(".ec-event", { hasText: "Carl Colour" }).waitFor();
    expect(await desktop.locator(".ec-col-group").count()).toBe(7);
    expect(await desktop.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await screenshot(desktop, "calendar-week");
    await desktop.getByRole("link", { name: "Next week" }).click();
    await desktop.waitForURL(`**/calendar?date=${addDays(day, 7)}&view=week`);

    const phone = await calendarPage(manager, `/calendar?date=${day}&view=day`, PHONE_VIEWPORT);
    const scroller = phone.locator(".calendar .ec-main");
    const widths = await scroller.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(widths.scroll).toBeGreaterThan(widths.client);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    await screenshot(phone, "calendar-day-phone");
  });
});
