/**
 * Settings → Channels in Chromium at phone width against the real server (whose own
 * ChannelConnectionsService reaches the admin through the AdminContext): the owner connects Viber
 * (no network: without PUBLIC_URL Viber cannot start, so nothing calls Viber), sees only the
 * token's last 4 characters, and disables it. The token is stored encrypted.
 */
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram } from "../../bots/src/testing/fake-telegram.js";
import { SAMPLE_BOT_TOKEN } from "../../bots/src/testing/sample-token.js";
import { newPage, PHONE_VIEWPORT, screenshot, signIn, startAppAndBrowser, stopAppAndBrowser, type TestApp } from "./harness.js";

describe("channel settings (Chromium)", () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    ({ app, browser } = await startAppAndBrowser());
  });
  afterAll(() => stopAppAndBrowser({ app, browser }));

  it("connects Viber with a field error first, shows no secret, and disables it", async () => {
    const owner = await app.createAccount("owner");
    const page = await newPage(browser, app, { viewport: PHONE_VIEWPORT });
    await signIn(page, owner);
    await page.goto("/settings/channels");
    await page.getByRole("heading", { name: "Channels", level: 1 }).waitFor();
    const viber = page.getByRole("region", { name: /Viber/ });
    expect(await viber.getByText("Not connected").count()).toBe(1);
    expect(await viber.getByText(`/webhooks/viber/${app.tenant.slug}`).count()).toBe(1);

    await viber.getByLabel("Authentication token").fill("short");
    await viber.getByRole("button", { name: "Connect" }).click();
    await expect.poll(() => viber.locator("#ch-viber-authToken-error").innerText()).toContain("too short");
    expect(await app.db.prisma.channelConnection.count({ where: { channel: "viber" } })).toBe(0);

    const token = randomBytes(16).toString("hex");
    await viber.getByLabel("Authentication token").fill(token);
    await viber.getByRole("button", { name: "Connect" }).click();
    // The server applied it at once: Viber without PUBLIC_URL cannot run, and the page says why.
    await viber.getByText("Saved: Viber is connected.").waitFor();
    expect(await page.getByTestId("ch-viber-run").innerText()).toMatch(/^NOT running: Viber needs PUBLIC_URL/);
    await viber.getByText(`ends …${token.slice(-4)}`).waitFor();
    expect(await viber.getByLabel("Authentication token").inputValue()).toBe("");
    expect(await page.content()).not.toContain(token);
    const row = await app.db.prisma.channelConnection.findFirstOrThrow({ where: { tenantId: app.tenant.id, channel: "viber" } });
    expect([row.enabled, row.secrets.includes(token)]).toEqual([true, false]);
    await screenshot(page, "settings-channels-phone");
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);

    await viber.getByRole("button", { name: "Disable Viber" }).click();
    await viber.getByText("Viber is disabled").waitFor();
    expect((await app.db.prisma.channelConnection.findFirstOrThrow({ where: { tenantId: app.tenant.id, channel: "viber" } })).enabled).toBe(false);
  });

  it("connects Telegram: the running server starts its bot at once, the page says so, and the bot answers; disabled, it stops", async () => {
    const fake = await FakeTelegram.start({ token: SAMPLE_BOT_TOKEN, botUsername: "nord_salon_bot" });
    try {
      const owner = await app.createAccount("owner");
      const page = await newPage(browser, app);
      await signIn(page, owner);
      await page.goto("/settings/channels");
      const telegram = page.getByRole("region", { name: /Telegram/ });
      await telegram.getByLabel("Bot token").fill(SAMPLE_BOT_TOKEN);
      await telegram.getByText("Advanced").click();
      await telegram.getByLabel("Bot API server").fill(fake.apiRoot);
      await telegram.getByRole("button", { name: "Connect" }).click();
      await telegram.getByText("Saved: Telegram is connected.").waitFor();
      expect(await page.getByTestId("ch-telegram-run").innerText()).toBe("Running: long polling as @nord_salon_bot");
      expect(await page.content()).not.toContain(SAMPLE_BOT_TOKEN);

      fake.sendText(4242, "/start");
      await fake.waitForMessage(4242, (m) => m.text?.startsWith("Hi! Welcome to Chairside Demo Salon") ?? false);

      await telegram.getByRole("button", { name: "Disable Telegram" }).click();
      await telegram.getByText("Telegram is disabled.").waitFor();
      // Stopped: an update sent now is not fetched.
      const polls = fake.callsOf("getUpdates").length;
      const update = fake.sendText(4242, "/start");
      await new Promise((r) => setTimeout(r, 500));
      expect(fake.callsOf("getUpdates").length).toBe(polls);
      expect(fake.pendingUpdates.map((u) => u.update_id)).toContain(update.update_id);
    } finally {
      await fake.close();
    }
  });
});
