/**
 * The booking page's chat (/book/<salon>/chat) in Chromium at phone width, against the real server
 * and the demo salon, with no external account: books by clicking the bot's suggested actions
 * (and typing the phone into the phone field the bot asks for), with the keyboard for one step;
 * the booking is in the database; a reload continues the same conversation.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPage, PHONE_VIEWPORT, screenshot, startAppAndBrowser, stopAppAndBrowser, type TestApp } from "./harness.js";

describe("web chat on the booking page (Chromium, phone width)", () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    ({ app, browser } = await startAppAndBrowser());
  });
  afterAll(() => stopAppAndBrowser({ app, browser }));

  const action = (page: Page, name: string | RegExp) => page.getByRole("group", { name: "Suggested answers" }).getByRole("button", { name });
  const botSays = (page: Page, text: string) => page.locator(".line.bot", { hasText: text }).last().waitFor({ timeout: 15_000 });

  it("books by clicking suggested actions, then finds the booking under My bookings", async () => {
    const page = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    await page.goto(`/book/${app.tenant.slug}`);
    await page.getByRole("link", { name: "or chat with us" }).click();
    await page.waitForURL(`**/book/${app.tenant.slug}/chat`);
    await botSays(page, `Hi! Welcome to ${app.tenant.name}.`);
    await screenshot(page, "webchat-welcome-phone");

    // The keyboard works: Tab to the first suggested action, Enter presses it.
    await action(page, "Book an appointment").focus();
    await page.keyboard.press("Enter");
    await botSays(page, "Which service would you like?");
    await action(page, /^Men's haircut/).click();
    await botSays(page, "Who would you like for Men's haircut?");
    await action(page, "Anyone available").click();
    await botSays(page, "Which day suits you");
    await page.getByRole("group", { name: "Suggested answers" }).getByRole("button").nth(1).click(); // not today
    await botSays(page, "Free times for Men's haircut");
    const time = page.getByRole("group", { name: "Suggested answers" }).getByRole("button", { name: /^\d\d:\d\d$/ }).first();
    const picked = await time.innerText();
    await time.click();
    await botSays(page, "To book, we need your phone number.");
    const phone = page.getByLabel("Your phone number");
    expect(await phone.getAttribute("type")).toBe("tel");
    await phone.fill("20 12 34 56");
    await page.getByRole("button", { name: "Send" }).click();
    await botSays(page, "What name should we put the booking under?");
    await page.getByLabel("Your message").fill("Chat Tester");
    await page.keyboard.press("Enter");
    await botSays(page, "Please confirm your booking:");
    await screenshot(page, "webchat-confirm-phone");
    await action(page, "Confirm").click();
    await botSays(page, "You're booked!");
    expect((await page.locator(".line.me").allInnerTexts()).map((t) => t.replace(/^You:\s*/, ""))).toEqual(expect.arrayContaining(["Book an appointment", picked, "20 12 34 56", "Chat Tester", "Confirm"]));

    const booking = await app.db.prisma.booking.findFirstOrThrow({ where: { tenantId: app.tenant.id, status: "confirmed", channel: "webchat" }, include: { client: true } });
    expect(booking.client).toMatchObject({ name: "Chat Tester", phone: "+4520123456", phoneVerified: false });

    // The page fits a phone: nothing wider than the viewport.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);

    // A reload continues the conversation (same tab: sessionStorage).
    await page.reload();
    await botSays(page, "You're booked!");
    await action(page, "My bookings").click();
    await botSays(page, "Men's haircut");
    expect(await app.db.prisma.webchatConversation.count()).toBe(1);
  });
});
