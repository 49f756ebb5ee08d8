/**
 * Notifications in Chromium against the real server (its job worker running): the owner sees a
 * failed message with its reason in plain words, presses Retry and sees it waiting again; changes
 * a sequence setting and sees it saved; the pages (and the templates page) fit a phone's width.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPage, PHONE_VIEWPORT, screenshot, signIn, startAppAndBrowser, stopAppAndBrowser, type TestApp } from "./harness.js";

describe("notifications (Chromium)", () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    ({ app, browser } = await startAppAndBrowser());
  });
  afterAll(() => stopAppAndBrowser({ app, browser }));

  it("shows a failed message with its reason; Retry makes it wait to go out again", async () => {
    const tenantId = app.tenant.id;
    const client = await app.db.prisma.client.create({ data: { tenantId, name: "Nora Retry" } });
    // On Telegram, which this server has no bot for: a retry fails for a while (temporary), so it stays pending.
    await app.db.prisma.clientIdentity.create({ data: { tenantId, clientId: client.id, channel: "telegram", externalId: "777" } });
    const now = new Date();
    const failed = await app.db.prisma.outboxMessage.create({
      data: {
        tenantId,
        kind: "confirmation",
        category: "utility",
        clientId: client.id,
        channel: "telegram",
        recipient: "777",
        data: {},
        idempotencyKey: "browser-failed",
        status: "failed",
        attempts: 1,
        lastError: "telegram: Forbidden: bot was blocked by the user",
        notBefore: now,
        nextAttemptAt: now,
      },
    });

    const owner = await app.createAccount("owner");
    const page = await newPage(browser, app);
    await signIn(page, owner);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Notifications" }).click();
    await page.getByRole("heading", { name: "Notifications" }).waitFor();
    await page.getByLabel("Status").selectOption("failed");
    await page.waitForURL("**/notifications?status=failed");
    const row = page.locator("li.message").filter({ hasText: "Nora Retry" });
    expect(await row.locator(".status").innerText()).toBe("Failed");
    expect(await row.locator(".reason").innerText()).toBe("Why it failed: The client blocked the salon’s Telegram bot.");
    expect(await row.getByRole("link", { name: "Nora Retry" }).getAttribute("href")).toBe(`/clients/${client.id}`);
    await screenshot(page, "notifications-failed");

    await row.getByRole("button", { name: /^Retry/ }).click();
    await page.getByText("Sent again: the message is waiting to go out.").waitFor();
    expect(await page.locator("li.message").filter({ hasText: "Nora Retry" }).count()).toBe(0);
    await page.getByLabel("Status").selectOption("pending");
    await page.waitForURL("**/notifications?status=pending");
    // The worker may be trying it right now (sending) before it settles back to pending.
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator("li.message").filter({ hasText: "Nora Retry" }).locator(".status").allInnerTexts();
      })
      .toEqual(["Waiting"]);
    expect((await app.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("pending");
    await screenshot(page, "notifications-retried");

    const phone = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    await signIn(phone, owner);
    await phone.goto("/notifications");
    await phone.getByRole("heading", { name: "Notifications" }).waitFor();
    await screenshot(phone, "notifications-phone");
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });

  it("the owner changes the sequence: a field error first, then saved", async () => {
    const owner = await app.createAccount("owner");
    const page = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    await signIn(page, owner);
    await page.goto("/settings");
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Notifications" }).click();
    await page.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
    expect(await page.getByLabel("Quiet hours from").inputValue()).toBe("21:00");

    // The browser accepts it as a URL; the server wants http(s).
    await page.getByLabel("Review link").fill("ftp://files.example/salon");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator("#field-reviewUrl-error").innerText()).toBe("Enter a web address starting with https://");
    expect((await app.core.notifications.getSettings(app.tenant.id)).reviewUrl).toBeNull();

    await page.getByLabel("Review link").fill("https://reviews.example/salon");
    await page.getByLabel("Quiet hours from").fill("22:30");
    await page.getByRole("checkbox", { name: "Birthday greeting" }).uncheck();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    expect(await app.core.notifications.getSettings(app.tenant.id)).toMatchObject({
      reviewUrl: "https://reviews.example/salon",
      quietHours: { startMinute: 22 * 60 + 30, endMinute: 9 * 60 },
      enabled: { birthday: false, confirmation: true },
    });
    await page.reload();
    expect(await page.getByLabel("Quiet hours from").inputValue()).toBe("22:30");
    expect(await page.getByRole("checkbox", { name: "Birthday greeting" }).isChecked()).toBe(false);
    await screenshot(page, "settings-notifications-phone");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Templates" }).click();
    await page.getByRole("heading", { name: "WhatsApp templates" }).waitFor();
    await screenshot(page, "settings-templates-phone");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });

  it("staff do not see it in the menu and get 403", async () => {
    const staff = await app.createAccount("staff");
    const page = await newPage(browser, app);
    await signIn(page, staff);
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Notifications" }).count()).toBe(0);
    expect((await page.goto("/notifications"))?.status()).toBe(403);
  });
});
