/**
 * Outbox messages on WhatsApp against real PostgreSQL and the fake Graph API on 127.0.0.1: text
 * inside the 24-hour window, the salon's template outside it, a fallback to Telegram (or a failure
 * with its reason) when WhatsApp cannot take the message, 500s that heal without losses or
 * doubles, and a 131047 status webhook arriving through the real webhook and the inbox.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createChatStores, createCore, FixedClock, type Core, type OutboundMessage, type Sender, type SenderDirectory } from "@chairside/core";
import { createTestDatabase, createTestSalon, type TestDatabase, type TestSalon } from "@chairside/core/testing";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../conversation/types.js";
import { channelSender } from "../../jobs/senders.js";
import { FakeWhatsApp, type FakeSentMessage } from "../../testing/fake-whatsapp.js";
import { ChannelHub } from "../dispatch.js";
import { whatsappCredentialsSchema } from "./credentials.js";
import { whatsappPlugin } from "./index.js";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const TOKEN = "EAAG-template-tests";
const PHONE_ID = "106540352242922";
const SECRET = "app-secret-templates";
const NOW = new Date("2030-03-04T09:00:00Z"); // Monday 10:00 in Copenhagen
const STARTS = "2030-03-05T09:00:00.000Z"; // Tuesday 10:00 in Copenhagen
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

/** Telegram stand-in: records what it was handed. */
class TelegramSender implements Sender {
  readonly channel = "telegram";
  readonly sent: OutboundMessage[] = [];
  async send(message: OutboundMessage) {
    this.sent.push(message);
    return { providerMessageId: `tg-${this.sent.length}` };
  }
}

describe("WhatsApp templates, the 24-hour window and fallback (real PostgreSQL, fake Graph API)", () => {
  let db: TestDatabase;
  let core: Core;
  let clock: FixedClock;
  let salon: TestSalon;
  let fake: FakeWhatsApp;
  let server: Server;
  let telegram: TelegramSender;
  let senders: SenderDirectory;
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 10 });
    clock = new FixedClock(NOW);
    core = createCore(db.prisma, clock);
    salon = await createTestSalon(db.prisma, { staffCount: 1 });
    await db.prisma.tenant.update({ where: { id: salon.tenantId }, data: { locale: "da-DK" } });
    fake = await FakeWhatsApp.start({ accessToken: TOKEN, phoneNumberId: PHONE_ID, appSecret: SECRET });
    const credentials = whatsappCredentialsSchema.parse({ phoneNumberId: PHONE_ID, accessToken: TOKEN, appSecret: SECRET, verifyToken: "verify", graphUrl: fake.graphUrl });
    const whatsapp = channelSender("whatsapp", whatsappPlugin.createChannel({ credentials, log: silent }), () => clock.now());
    // Status webhooks go the production way: the plugin's webhook → ChannelHub.deliverer → the inbox, whose transaction applies them to the outbox.
    const stores = createChatStores(db.prisma, { onStatuses: core.notifications.onStatusReports });
    const hub = new ChannelHub({ core, connections: { getCredentials: async () => null, version: async () => null }, inbox: stores.inbox, plugins: {}, log: silent });
    const tenant = await core.catalog.getTenant(salon.tenantId);
    const app = express();
    app.all("/webhooks/whatsapp/test", whatsappPlugin.createWebhookHandler({ credentials, log: silent, deliver: hub.deliverer(tenant, "whatsapp") }));
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    fake.webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp/test`;
    telegram = new TelegramSender();
    senders = {
      get: (_t, channel) => (channel === "whatsapp" ? whatsapp : channel === "telegram" ? telegram : undefined),
      channelsOf: () => ["whatsapp", "telegram"],
    };
  });
  afterAll(async () => {
    await fake.close();
    await new Promise((resolve) => server.close(resolve));
    await db.drop();
  });
  beforeEach(async () => {
    clock.set(NOW);
    telegram.sent.length = 0;
    await db.prisma.messageTemplate.deleteMany({});
  });

  /** A client on WhatsApp (last wrote `lastInboundAt`), on Telegram too when `telegram`, with a booking tomorrow and one due `kind` row. */
  async function clientWithMessage(options: { lastInboundAt: Date | null; telegram?: boolean; kind?: "reminder_24h" | "reminder_1h" }) {
    n++;
    const waId = `45200${String(n).padStart(5, "0")}`;
    const client = await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Ada Lovelace", phone: `+${waId}`, phoneVerified: true } });
    await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId: client.id, channel: "whatsapp", externalId: waId, lastInboundAt: options.lastInboundAt } });
    if (options.telegram) await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId: client.id, channel: "telegram", externalId: `70${n}`, createdAt: hoursAgo(48) } });
    const starts = new Date(STARTS);
    const ends = new Date(starts.getTime() + 3_600_000);
    // A staff member per client: every booking is at the same time.
    const staff = await db.prisma.staff.create({ data: { tenantId: salon.tenantId, name: `Anna ${n}` } });
    const booking = await db.prisma.booking.create({
      data: {
        tenantId: salon.tenantId, staffId: staff.id, serviceId: salon.cutId, clientId: client.id, status: "confirmed",
        startsAt: starts, endsAt: ends, blockedFrom: starts, blockedUntil: ends, priceMinor: 0, currency: "DKK", channel: "whatsapp",
      },
    });
    const kind = options.kind ?? "reminder_24h";
    const key = `${kind}:${booking.id}`;
    await core.notifications.enqueue([
      {
        tenantId: salon.tenantId, kind, category: "utility", clientId: client.id, bookingId: booking.id, idempotencyKey: key,
        data: {
          salonName: "Studio Nord", zone: "Europe/Copenhagen", salonLocale: "da-DK", clientLocale: null, clientName: "Ada Lovelace", bookingId: booking.id,
          serviceName: "Cut", staffName: "Anna", startsAt: STARTS, endsAt: ends.toISOString(), ...(kind === "reminder_1h" ? { actions: ["confirm", "reschedule", "cancel"] } : {}),
        },
      },
    ]);
    const row = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { tenantId_idempotencyKey: { tenantId: salon.tenantId, idempotencyKey: key } } });
    return { waId, clientId: client.id, bookingId: booking.id, outboxId: row.id };
  }

  const drain = async () => {
    while ((await core.notifications.deliverDue(senders, { random: () => 0.5, backoffBaseMs: 1000 })).claimed > 0);
  };
  const row = (id: string) => db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
  const sentFor = (outboxId: string): FakeSentMessage[] => fake.sent.filter((m) => m.request.biz_opaque_callback_data === outboxId);
  const reminderTemplate = (language = "da") =>
    core.notifications.saveTemplate(salon.tenantId, { kind: "reminder_24h", name: "appointment_reminder", language, parameters: ["client_name", "service", "date", "time", "staff", "salon"] });

  it("sends free-form text inside the 24-hour window, with our outbox id for the status webhooks", async () => {
    await reminderTemplate();
    const m = await clientWithMessage({ lastInboundAt: hoursAgo(3) });
    await drain();
    const [sent, ...more] = sentFor(m.outboxId);
    expect(more).toEqual([]);
    expect(sent!.request.type).toBe("text");
    expect(sent!.request.text.body).toContain("Cut hos Anna");
    expect(await row(m.outboxId)).toMatchObject({ status: "sent", channel: "whatsapp", recipient: m.waId, providerMessageId: sent!.id, lastError: null });
  });

  it("sends the salon's template outside the window: its name, language and parameters in order, in local format", async () => {
    await reminderTemplate();
    const m = await clientWithMessage({ lastInboundAt: hoursAgo(30) });
    await drain();
    const [sent, ...more] = sentFor(m.outboxId);
    expect(more).toEqual([]);
    expect(sent!.request.type).toBe("template");
    expect(sent!.request.template).toEqual({
      name: "appointment_reminder",
      language: { code: "da", policy: "deterministic" },
      components: [
        {
          type: "body",
          parameters: ["Ada Lovelace", "Cut", "tirsdag den 5. marts", "10:00", "Anna", "Studio Nord"].map((text) => ({ type: "text", text })),
        },
      ],
    });
    expect(await row(m.outboxId)).toMatchObject({ status: "sent", channel: "whatsapp", providerMessageId: sent!.id });
  });

  it("renders an English template's date in English, and a client who never wrote gets the template too", async () => {
    await reminderTemplate("en_US");
    const m = await clientWithMessage({ lastInboundAt: null });
    await drain();
    expect(sentFor(m.outboxId)[0]!.request.template.components[0].parameters.map((p: { text: string }) => p.text)).toEqual([
      "Ada Lovelace", "Cut", "Tuesday 5 March", "10:00", "Anna", "Studio Nord",
    ]);
  });

  it("gives the 1 h reminder's template its quick-reply buttons with the conversation's booking choices", async () => {
    await core.notifications.saveTemplate(salon.tenantId, {
      kind: "reminder_1h", name: "reminder_soon", language: "en", parameters: ["time"], quickReplies: ["confirm", "reschedule", "cancel"],
    });
    const m = await clientWithMessage({ lastInboundAt: hoursAgo(25), kind: "reminder_1h" });
    await drain();
    const components = sentFor(m.outboxId)[0]!.request.template.components as { type: string; sub_type?: string; index?: string; parameters: unknown[] }[];
    expect(components[0]).toEqual({ type: "body", parameters: [{ type: "text", text: "10:00" }] });
    expect(components.slice(1)).toEqual(
      ["k", "r", "c"].map((a, i) => ({ type: "button", sub_type: "quick_reply", index: i, parameters: [{ type: "payload", payload: `b:${a}:${m.bookingId}` }] })),
    );
  });

  it("outside the window without a template: does not call Meta and falls back to Telegram", async () => {
    const m = await clientWithMessage({ lastInboundAt: hoursAgo(30), telegram: true });
    const requests = fake.requests.length;
    await drain();
    expect(fake.requests.length).toBe(requests);
    expect(telegram.sent.map((s) => s.outboxId)).toEqual([m.outboxId]);
    expect(await row(m.outboxId)).toMatchObject({
      status: "sent",
      channel: "telegram",
      providerMessageId: "tg-1",
      triedChannels: ["whatsapp"],
      lastError: "WhatsApp: more than 24 hours since the client's last message, and no template is set for reminder_24h",
    });
  });

  it("outside the window without a template and no other messenger: failed with the reason", async () => {
    const m = await clientWithMessage({ lastInboundAt: hoursAgo(30) });
    const requests = fake.requests.length;
    await drain();
    expect(fake.requests.length).toBe(requests);
    expect(await row(m.outboxId)).toMatchObject({
      status: "failed",
      lastError: "WhatsApp: more than 24 hours since the client's last message, and no template is set for reminder_24h; the client has no other messenger",
    });
  });

  it("500s, then recovery: every message delivered once, none doubled, statuses repeated by Meta change nothing twice", async () => {
    await reminderTemplate();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await clientWithMessage({ lastInboundAt: i % 2 === 0 ? hoursAgo(2) : hoursAgo(40) })).outboxId);
    fake.failNext(12, 500);
    const refusedBefore = fake.requests.filter((r) => r.status === 500).length;
    for (let pass = 0; pass < 10 && (await db.prisma.outboxMessage.count({ where: { id: { in: ids }, status: { not: "sent" } } })) > 0; pass++) {
      await drain();
      clock.advanceMinutes(5); // past every backoff
    }
    expect(fake.requests.filter((r) => r.status === 500).length - refusedBefore).toBe(12);
    expect(ids.map((id) => sentFor(id).length)).toEqual(ids.map(() => 1));
    expect(ids.map((id) => sentFor(id)[0]!.request.type)).toEqual(ids.map((_, i) => (i % 2 === 0 ? "text" : "template")));
    const rows = await db.prisma.outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === "sent" && r.lastError === null && r.channel === "whatsapp")).toBe(true);
    expect(rows.reduce((sum, r) => sum + r.attempts, 0)).toBe(8 + 12);

    for (const id of ids) expect((await fake.emitStatus(sentFor(id)[0]!.id, "delivered", { deliveries: 2 })).status).toBe(200);
    const delivered = await db.prisma.outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(delivered.every((r) => r.status === "delivered" && r.deliveredAt !== null)).toBe(true);
    expect(telegram.sent).toEqual([]);
  });

  it("a 131047 status webhook: the message falls back to Telegram, and the admin's list shows why", async () => {
    const m = await clientWithMessage({ lastInboundAt: hoursAgo(23.5), telegram: true });
    await drain();
    const [wa] = sentFor(m.outboxId);
    expect(wa!.request.type).toBe("text");
    // Meta retries the webhook: the second delivery must not move the message again.
    expect((await fake.emitStatus(wa!.id, "failed", { deliveries: 2 })).status).toBe(200);
    expect(await row(m.outboxId)).toMatchObject({ status: "pending", channel: null, triedChannels: ["whatsapp"] });
    await drain();
    expect(telegram.sent.map((s) => s.outboxId)).toEqual([m.outboxId]);
    const page = await core.notifications.listPage({ tenantId: salon.tenantId, channel: "telegram" });
    expect(page.rows.find((r) => r.id === m.outboxId)).toMatchObject({
      status: "sent",
      channel: "telegram",
      clientName: "Ada Lovelace",
      triedChannels: ["whatsapp"],
      lastError: "WhatsApp 131047: more than 24 hours since the client's last message, and no template is set for reminder_24h",
    });
    expect(sentFor(m.outboxId)).toHaveLength(1);
  });

  it("a 131047 status webhook with no other messenger: failed with the reason, listed among the failed", async () => {
    await reminderTemplate();
    const m = await clientWithMessage({ lastInboundAt: hoursAgo(23.5) });
    await drain();
    const [wa] = sentFor(m.outboxId);
    expect((await fake.emitStatus(wa!.id, "failed")).status).toBe(200);
    const page = await core.notifications.listPage({ tenantId: salon.tenantId, status: "failed" });
    expect(page.rows.find((r) => r.id === m.outboxId)).toMatchObject({
      status: "failed",
      channel: "whatsapp",
      lastError: "WhatsApp 131047: more than 24 hours since the client's last message; the client has no other messenger",
    });
    await drain();
    expect(await row(m.outboxId)).toMatchObject({ status: "failed" });
    expect(telegram.sent).toEqual([]);
  });
});
