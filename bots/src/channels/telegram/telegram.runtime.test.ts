import http from "node:http";
import type { AddressInfo } from "node:net";
import { ChannelConnectionsService, createCore, FixedClock, generateSecretKey, SecretBox, seedDemoSalon, type Core, type TenantView } from "@chairside/core";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram, type FakeButton } from "../../testing/fake-telegram.js";
import { MemoryLogger } from "../../testing/scripted-chat.js";
import { ChannelPlatform, type ChannelBannerLine } from "../platform.js";
import { startTelegram } from "./telegram.runtime.js";

const TOKEN = "123456:TEST-token-for-the-fake-bot-api-only";
// Monday 2030-03-04 08:00 in Copenhagen.
const NOW = new Date("2030-03-04T07:00:00Z");
const isTime = (b: FakeButton) => /^\d\d:\d\d$/.test(b.text);

/**
 * The Telegram channel on the channel platform, in process: credentials stored (encrypted) for
 * the demo salon, long polling or the webhook route, the inbox and its worker, the conversation.
 */
describe("Telegram on the channel platform against the fake Bot API (in process)", () => {
  let db: TestDatabase;
  let core: Core;
  let tenant: TenantView;
  let connections: ChannelConnectionsService;
  let fake: FakeTelegram | undefined;
  let platform: ChannelPlatform | undefined;
  let server: http.Server | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma, new FixedClock(NOW));
    tenant = (await seedDemoSalon(db.prisma))!;
    connections = new ChannelConnectionsService(db.prisma, SecretBox.fromKey(generateSecretKey()));
  });
  afterAll(async () => db.drop());
  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
    await fake?.close();
    fake = undefined;
    if (server) {
      await new Promise<void>((r) => {
        server!.close(() => r());
        server!.closeAllConnections();
      });
    }
    server = undefined;
  });

  /** Stores the bot's credentials for the demo salon and starts the platform; returns the Telegram banner line. */
  async function startPlatform(options: { publicUrl?: string; webhookSecret?: string; log?: MemoryLogger } = {}): Promise<{ line: ChannelBannerLine; origin: string }> {
    const app = express();
    server = http.createServer(app);
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake ??= await FakeTelegram.start({ token: TOKEN, webhookOrigin: origin });
    await connections.upsert({
      tenantId: tenant.id,
      channel: "telegram",
      config: { apiRoot: fake.apiRoot },
      secrets: { token: TOKEN, ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}) },
    });
    platform = new ChannelPlatform({ core, connections, publicUrl: options.publicUrl ?? null, log: options.log ?? new MemoryLogger() });
    platform.mount(app);
    const lines = await platform.start(tenant);
    return { line: lines.find((l) => l.channel === "telegram")!, origin };
  }

  it("long polling: books through buttons and a shared contact", async () => {
    const log = new MemoryLogger();
    const { line } = await startPlatform({ log });
    expect(line).toMatchObject({ text: "long polling as @chairside_test_bot", running: true });
    fake = fake!;
    expect(fake.callsOf("deleteWebhook")).toHaveLength(1);
    expect(fake.callsOf("setMyCommands").map((c) => c.params)).toContainEqual({
      commands: [{ command: "start", description: "Book or manage your appointments" }],
    });

    const chat = 501;
    fake.sendText(chat, "/start");
    await fake.waitForMessage(chat, (m) => m.text?.startsWith("Hi! Welcome to Chairside Demo Salon") ?? false);
    const { update } = fake.pressButton(chat, "Book an appointment");
    await fake.waitForMessage(chat, (m) => m.text === "Which service would you like?");
    expect(fake.wasAnswered("callback_query" in update ? update.callback_query.id : "")).toBe(true);
    // The pressed message lost its buttons.
    expect(() => fake.pressButton(chat, "Book an appointment")).toThrow();

    fake.pressButton(chat, (b) => b.text.startsWith("Men's haircut"));
    await fake.waitForMessage(chat, (m) => m.text?.startsWith("Who would you like") ?? false);
    fake.pressButton(chat, "Anyone available");
    await fake.waitForMessage(chat, (m) => m.text?.startsWith("Which day") ?? false);
    fake.pressButton(chat, "Today");
    const times = await fake.waitForMessage(chat, (m) => m.text?.startsWith("Free times") ?? false);
    expect(times.reply_markup?.inline_keyboard?.[0]?.map((b) => b.text)).toEqual(["09:00", "09:15", "09:30", "09:45"]);
    fake.pressButton(chat, isTime);
    const ask = await fake.waitForMessage(chat, (m) => m.text?.startsWith("To book, we need your phone number") ?? false);
    expect(ask.reply_markup?.keyboard?.[0]).toEqual([{ text: "Share my phone number", request_contact: true }]);
    fake.pressReplyButton(chat, "Share my phone number", "4520123456");
    const thanks = await fake.waitForMessage(chat, (m) => m.text === "Thanks, Ada!");
    expect(thanks.reply_markup).toEqual({ remove_keyboard: true });
    await fake.waitForMessage(chat, (m) => m.text?.startsWith("Please confirm") ?? false);
    fake.pressButton(chat, "Confirm");
    const booked = await fake.waitForMessage(chat, (m) => m.text?.startsWith("You're booked!") ?? false);
    expect(booked.text).toMatch(/on Monday 4 March at 09:00\./);

    const bookings = await db.prisma.booking.findMany({ where: { tenantId: tenant.id, channel: "telegram" }, include: { client: true } });
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({ status: "confirmed", client: { phone: "+4520123456", phoneVerified: true, name: "Ada" } });
    const identity = await db.prisma.clientIdentity.findFirstOrThrow({ where: { channel: "telegram", externalId: String(chat) } });
    expect(identity.clientId).toBe(bookings[0]!.clientId);
    expect(log.lines.filter((l) => l.level === "error")).toEqual([]);
  });

  it("answers a sticker and unknown text with help and buttons; ignores a duplicate update", async () => {
    await startPlatform();
    fake = fake!;
    const chat = 502;
    fake.sendSticker(chat);
    const sticker = await fake.waitForMessage(chat);
    expect(sticker.text).toMatch(/^Sorry, I can only read text messages and the buttons\./);
    expect(sticker.reply_markup?.inline_keyboard?.flat().map((b) => b.text)).toEqual(["Book an appointment", "My bookings"]);
    fake.sendText(chat, "what is this");
    const help = await fake.waitForMessage(chat);
    expect(help.text).toMatch(/^Sorry, I didn't understand that\./);

    const mark = fake.lastMessageId(chat);
    fake.pressButton(chat, "Book an appointment", { deliveries: 2 });
    await fake.waitForMessage(chat, (m) => m.text === "Which service would you like?");
    fake.sendText(chat, "menu"); // a later update: once it is answered, the duplicate was handled too
    await fake.waitForMessage(chat, (m) => m.text === "What would you like to do?");
    expect(fake.botMessages(chat, mark).map((m) => m.text)).toEqual(["Which service would you like?", "What would you like to do?"]);
  });

  it("webhook mode: refuses a missing or wrong secret, handles the right one", async () => {
    const secret = "webhook-secret_0123456789";
    const { line, origin } = await startPlatform({ publicUrl: "https://chairside.example.test", webhookSecret: secret });
    fake = fake!;
    expect(line.text).toBe("webhook mode as @chairside_test_bot at https://chairside.example.test/webhooks/telegram/demo");
    expect(fake.webhookInfo).toEqual({ url: "https://chairside.example.test/webhooks/telegram/demo", secret });

    const update = { update_id: 999_000_111, message: { message_id: 1, date: 0, chat: { id: 503, type: "private" }, from: { id: 503, is_bot: false, first_name: "Eve" }, text: "/start" } };
    const post = (headers: Record<string, string>) =>
      fetch(`${origin}/webhooks/telegram/demo`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(update) });
    expect((await post({})).status).toBe(401);
    expect((await post({ "X-Telegram-Bot-Api-Secret-Token": "wrong" })).status).toBe(401);
    expect(fake.callsOf("sendMessage")).toHaveLength(0);
    expect(await db.prisma.inboundEvent.count({ where: { externalId: "999000111" } })).toBe(0);

    const start = fake.sendText(503, "/start");
    const welcome = await fake.waitForMessage(503);
    expect(welcome.text).toMatch(/^Hi! Welcome to Chairside Demo Salon/);
    while (fake.webhookDeliveries.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(fake.webhookDeliveries).toEqual([{ updateId: start.update_id, status: 200 }]);
    fake.pressButton(503, "My bookings");
    expect((await fake.waitForMessage(503)).text).toBe("You have no upcoming bookings.");
  });

  it("refuses webhook mode without a secret, and a token the API refuses", async () => {
    fake = await FakeTelegram.start({ token: TOKEN });
    const deliver = async () => {};
    const salon = { slug: tenant.slug, locale: tenant.locale };
    await expect(
      startTelegram({ credentials: { token: TOKEN, apiRoot: fake.apiRoot }, salon, webhookUrl: "https://x.example/webhooks/telegram/demo", deliver, log: new MemoryLogger() }),
    ).rejects.toMatchObject({ code: "config_invalid", message: expect.stringContaining("TELEGRAM_WEBHOOK_SECRET") });
    await expect(
      startTelegram({ credentials: { token: "999:wrong-token-wrong-token-wrong-token", apiRoot: fake.apiRoot }, salon, webhookUrl: null, deliver, log: new MemoryLogger() }),
    ).rejects.toMatchObject({ code: "config_invalid", message: expect.stringContaining("refused the bot token") });
  });

  it("reports a refused token in the banner line without the token, and keeps the webhook route answering 404", async () => {
    fake = await FakeTelegram.start({ token: "111111:the-right-token-which-the-fake-accepts-only" });
    const wrong = "222222:a-token-botfather-never-issued-xxxxxxxx";
    const app = express();
    server = http.createServer(app);
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    await connections.upsert({ tenantId: tenant.id, channel: "telegram", config: { apiRoot: fake.apiRoot }, secrets: { token: wrong } });
    const log = new MemoryLogger();
    platform = new ChannelPlatform({ core, connections, publicUrl: null, log });
    platform.mount(app);
    const line = (await platform.start(tenant)).find((l) => l.channel === "telegram")!;
    expect(line).toMatchObject({ running: false, text: expect.stringMatching(/^NOT running: Telegram refused the bot token \(401 Unauthorized\)/) });
    expect(JSON.stringify([line, log.lines])).not.toContain(wrong);
    // Long polling mode: the salon's Telegram has no webhook.
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await fetch(`${origin}/webhooks/telegram/demo`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });
});
