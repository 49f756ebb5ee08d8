import http from "node:http";
import type { AddressInfo } from "node:net";
import { applyStockMovement, ChannelConnectionsService, type Core, createCore, FixedClock, generateSecretKey, SecretBox, seedDemoSalon, type TenantView } from "@chairside/core";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ChannelPlatform } from "../channels/platform.js";
import { ChannelSenders } from "../jobs/senders.js";
import { FakeTelegram, type FakeMessage } from "../testing/fake-telegram.js";
import { MemoryLogger } from "../testing/scripted-chat.js";

const TOKEN = "654321:TEST-token-for-the-owner-tests-only";
// Monday 2030-03-04 08:00 in Copenhagen.
const NOW = new Date("2030-03-04T07:00:00Z");
const OWNER_CHAT = 7001;
const CLIENT_CHAT = 7002;
const OTHER_CHAT = 7003;
const has = (part: string) => (m: FakeMessage) => m.text?.includes(part) ?? false;

/**
 * The owner's Telegram end to end: the salon's bot on long polling against the fake Bot API, real
 * PostgreSQL, the outbox delivered through the salon's channel.
 */
describe("the owner's Telegram against the fake Bot API", () => {
  let db: TestDatabase;
  let clock: FixedClock;
  let core: Core;
  let tenant: TenantView;
  let connections: ChannelConnectionsService;
  let fake: FakeTelegram;
  let platform: ChannelPlatform | undefined;
  let ownerId: string;
  let log: MemoryLogger;

  async function startPlatform(): Promise<ChannelPlatform> {
    platform = new ChannelPlatform({ core, connections, publicUrl: null, log });
    await platform.start(tenant);
    return platform;
  }

  /** Delivers due outbox rows through the salon's channels, as the job worker does. */
  async function deliverOutbox(): Promise<void> {
    const senders = new ChannelSenders({ resolve: (t, c) => platform!.hub.resolve(t, c), channelNames: platform!.hub.channelNames, now: () => clock.now(), log });
    await core.notifications.deliverDue(senders);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    clock = new FixedClock(NOW);
    core = createCore(db.prisma, clock);
    tenant = (await seedDemoSalon(db.prisma))!;
    connections = new ChannelConnectionsService(db.prisma, SecretBox.fromKey(generateSecretKey()));
    fake = await FakeTelegram.start({ token: TOKEN });
    await connections.upsert({ tenantId: tenant.id, channel: "telegram", config: { apiRoot: fake.apiRoot }, secrets: { token: TOKEN } });
    ownerId = (await core.auth.createAccount({ tenantId: tenant.id, email: "owner@example.test", name: "Olga Owner", role: "owner" })).id;
    log = new MemoryLogger();
    await startPlatform();
  });
  afterEach(() => clock.set(NOW));
  afterAll(async () => {
    await platform?.stop();
    await fake.close();
    await db.drop();
  });

  const linkOf = (chat: number) => db.prisma.staffChatLink.findFirst({ where: { tenantId: tenant.id, channel: "telegram", chatId: String(chat) } });

  it("pairs a chat with a one-time code from the admin; wrong, reused and expired codes link nothing", async () => {
    fake.sendText(OWNER_CHAT, "/pair ABCDEFGH");
    await fake.waitForMessage(OWNER_CHAT, has("That code is not right, so nothing was linked"));
    expect(await linkOf(OWNER_CHAT)).toBeNull();

    const { code } = await core.owner.createPairingCode({ tenantId: tenant.id, accountId: ownerId });
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    fake.sendText(OWNER_CHAT, `/pair ${code.toLowerCase().slice(0, 4)}-${code.toLowerCase().slice(4)}`);
    const paired = await fake.waitForMessage(OWNER_CHAT, has("Linked!"));
    expect(paired.text).toContain("for Olga Owner");
    expect(paired.reply_markup?.inline_keyboard?.flat().map((b) => b.text)).toEqual(["Today's agenda"]);
    expect(await linkOf(OWNER_CHAT)).toMatchObject({ accountId: ownerId, label: "Ada" });
    // The linked chat's own command menu.
    expect(fake.callsOf("setMyCommands").at(-1)?.params).toMatchObject({ scope: { type: "chat", chat_id: OWNER_CHAT } });

    // The same code from another chat: used up.
    fake.sendText(OTHER_CHAT, `/start pair_${code}`);
    await fake.waitForMessage(OTHER_CHAT, has("That code has been used already"));
    expect(await linkOf(OTHER_CHAT)).toBeNull();

    // A code 16 minutes old has expired.
    const late = await core.owner.createPairingCode({ tenantId: tenant.id, accountId: ownerId });
    clock.advanceMinutes(16);
    fake.sendText(OTHER_CHAT, `/pair ${late.code}`);
    await fake.waitForMessage(OTHER_CHAT, has("That code has expired"));
    expect(await linkOf(OTHER_CHAT)).toBeNull();

    // Staff accounts get no code at all.
    const staff = await core.auth.createAccount({ tenantId: tenant.id, email: "staff@example.test", name: "Sam Staff", role: "staff" });
    await expect(core.owner.createPairingCode({ tenantId: tenant.id, accountId: staff.id })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("rate-limits guesses per chat", async () => {
    const chat = 7099;
    for (let i = 0; i < 5; i++) {
      fake.sendText(chat, "/pair ZZZZZZZZ");
      await fake.waitForMessage(chat, has("not right"));
    }
    const { code } = await core.owner.createPairingCode({ tenantId: tenant.id, accountId: ownerId });
    fake.sendText(chat, `/pair ${code}`);
    await fake.waitForMessage(chat, has("Too many wrong codes. Please wait 15 minutes"));
    expect(await linkOf(chat)).toBeNull();
  });

  it("a client chat gets no owner commands and keeps the client conversation", async () => {
    fake.sendText(CLIENT_CHAT, "/agenda");
    const refused = await fake.waitForMessage(CLIENT_CHAT);
    expect(refused.text).toMatch(/^This command is for the salon's owners and managers/);
    fake.sendText(CLIENT_CHAT, "/start");
    await fake.waitForMessage(CLIENT_CHAT, (m) => m.text?.startsWith("Hi! Welcome to Chairside Demo Salon") ?? false);
    // An owner button from elsewhere does nothing for a client either.
    const alert = { ...refused, reply_markup: { inline_keyboard: [[{ text: "Record delivery", callback_data: "own:dlv:00000000-0000-4000-8000-000000000000" }]] } };
    fake.pressOldButton(CLIENT_CHAT, alert, "own:dlv:00000000-0000-4000-8000-000000000000");
    await fake.waitForMessage(CLIENT_CHAT, has("This command is for the salon's owners"));
  });

  it("/agenda lists today's bookings in the salon's zone", async () => {
    const services = await core.catalog.listServices(tenant.id);
    const cut = services.find((s) => s.name === "Men's haircut")!;
    const client = await core.clients.registerWithTypedPhone({ tenantId: tenant.id, channel: "telegram", externalId: "agenda-client", phone: "+4520999888", name: "Grace Hopper" });
    await core.bookings.book({ tenantId: tenant.id, serviceId: cut.id, staffId: null, startsAt: new Date("2030-03-04T09:30:00Z"), channel: "admin", clientId: client.id, actor: "test" });
    // Tomorrow's booking is not today's agenda.
    await core.bookings.book({ tenantId: tenant.id, serviceId: cut.id, staffId: null, startsAt: new Date("2030-03-05T09:30:00Z"), channel: "admin", clientId: client.id, actor: "test" });
    fake.sendText(OWNER_CHAT, "/agenda");
    const agenda = await fake.waitForMessage(OWNER_CHAT, has("Bookings at Chairside Demo Salon"));
    const lines = agenda.text!.split("\n");
    expect(lines[0]).toBe("Bookings at Chairside Demo Salon on Monday 4 March:");
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(/^10:30 Grace Hopper: Men's haircut with (Anna|Clara)$/);
  });

  it("a POS sale below the threshold alerts the paired owner, who records a delivery in a short flow that survives a restart", async () => {
    const product = await core.inventory.create({ tenantId: tenant.id, name: "Argan shampoo", priceMinor: 120_00, stockOnHand: 5, lowStockThreshold: 4, actor: "test" });
    const link = (await linkOf(OWNER_CHAT))!;

    // A change that rolls back leaves no alert: the row is written in the change's transaction.
    await expect(
      db.prisma.$transaction(async (tx) => {
        await applyStockMovement(tx, { tenantId: tenant.id, productId: product.id, delta: -2, kind: "adjustment", reason: "test", actor: "test", at: clock.now() });
        expect(await tx.outboxMessage.count({ where: { tenantId: tenant.id, kind: "owner_alert" } })).toBe(1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await db.prisma.outboxMessage.count({ where: { tenantId: tenant.id, kind: "owner_alert" } })).toBe(0);

    await core.pos.checkout({ tenantId: tenant.id, lines: [{ kind: "product", productId: product.id, quantity: 2 }], payments: [{ method: "card", amountMinor: 240_00 }], actor: "test" });
    const event = await db.prisma.lowStockEvent.findFirstOrThrow({ where: { tenantId: tenant.id, productId: product.id } });
    const rows = await db.prisma.outboxMessage.findMany({ where: { tenantId: tenant.id, kind: "owner_alert" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ category: "owner", channel: "telegram", recipient: String(OWNER_CHAT), idempotencyKey: `low_stock:${event.id}:${link.id}`, status: "pending" });
    expect(rows[0]!.createdAt).toEqual(event.createdAt);

    await deliverOutbox();
    const alert = await fake.waitForMessage(OWNER_CHAT, has("Low stock"));
    expect(alert.text).toBe("Low stock at Chairside Demo Salon: Argan shampoo is down to 3 pcs (threshold 4).");
    expect(alert.reply_markup?.inline_keyboard?.flat().map((b) => b.text)).toEqual(["Record delivery"]);
    expect(fake.botMessages(CLIENT_CHAT).some((m) => m.text?.includes("Low stock"))).toBe(false);
    expect(await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: rows[0]!.id } })).toMatchObject({ status: "sent" });

    fake.pressButton(OWNER_CHAT, "Record delivery");
    await fake.waitForMessage(OWNER_CHAT, has("How many pcs of Argan shampoo arrived?"));
    fake.sendText(OWNER_CHAT, "a dozen");
    await fake.waitForMessage(OWNER_CHAT, has("Please type a whole number above 0, e.g. 12."));
    fake.sendText(OWNER_CHAT, "0");
    await fake.waitForMessage(OWNER_CHAT, has("Please type a whole number above 0"));

    // The flow's state is in PostgreSQL: a restart of the server in the middle loses nothing.
    expect(await db.prisma.conversationState.count({ where: { tenantId: tenant.id, channel: "telegram-owner", chatId: String(OWNER_CHAT) } })).toBe(1);
    await platform!.stop();
    await startPlatform();

    fake.sendText(OWNER_CHAT, "12");
    const confirm = await fake.waitForMessage(OWNER_CHAT, has("Record a delivery of 12 pcs of Argan shampoo?"));
    expect(confirm.reply_markup?.inline_keyboard?.flat().map((b) => b.text)).toEqual(["Record it", "Cancel"]);
    expect((await core.inventory.get({ tenantId: tenant.id, productId: product.id })).stockOnHand).toBe(3);
    fake.pressButton(OWNER_CHAT, "Record it");
    const done = await fake.waitForMessage(OWNER_CHAT, has("Recorded:"));
    expect(done.text).toBe("Recorded: 12 pcs of Argan shampoo arrived. Now in stock: 15 pcs.");

    expect((await core.inventory.get({ tenantId: tenant.id, productId: product.id })).stockOnHand).toBe(15);
    const [latest] = await core.inventory.listMovements({ tenantId: tenant.id, productId: product.id });
    expect(latest).toMatchObject({ kind: "delivery", quantity: 12, balance: 15, actor: `staff:${ownerId}` });
    // Keyed by the confirming update, so a re-delivered update records no second delivery.
    const stored = await db.prisma.stockMovement.findMany({ where: { tenantId: tenant.id, productId: product.id, kind: "delivery" } });
    expect(stored.map((m) => m.requestKey)).toEqual([expect.stringMatching(new RegExp(`^telegram:${OWNER_CHAT}:\\d+$`))]);
    expect(log.lines.filter((l) => l.level === "error")).toEqual([]);
  });

  it("/unpair ends owner handling; the chat is a client chat again", async () => {
    fake.sendText(OWNER_CHAT, "/unpair");
    await fake.waitForMessage(OWNER_CHAT, has("This chat is no longer linked"));
    expect(await linkOf(OWNER_CHAT)).toBeNull();
    fake.sendText(OWNER_CHAT, "/start");
    await fake.waitForMessage(OWNER_CHAT, (m) => m.text?.startsWith("Hi! Welcome to Chairside Demo Salon") ?? false);
  });
});

describe("the owner's Telegram in webhook mode", () => {
  /** A salon with a Telegram connection in webhook mode, its HTTP server, and the fake Bot API delivering to it. */
  interface WebhookSetup {
    db: TestDatabase;
    core: Core;
    tenant: TenantView;
    fake: FakeTelegram;
    app: express.Express;
    /** A platform on this salon (call `start`); several may be made in turn, as for a restart. */
    platform(): ChannelPlatform;
    close(): Promise<void>;
  }

  async function webhookSetup(): Promise<WebhookSetup> {
    const db = await createTestDatabase();
    const core = createCore(db.prisma, new FixedClock(NOW));
    const tenant = (await seedDemoSalon(db.prisma))!;
    const connections = new ChannelConnectionsService(db.prisma, SecretBox.fromKey(generateSecretKey()));
    const app = express();
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const fake = await FakeTelegram.start({ token: TOKEN, webhookOrigin: origin });
    const secret = "owner-webhook-secret_0123456789";
    await connections.upsert({ tenantId: tenant.id, channel: "telegram", config: { apiRoot: fake.apiRoot }, secrets: { token: TOKEN, webhookSecret: secret } });
    return {
      db,
      core,
      tenant,
      fake,
      app,
      platform: () => new ChannelPlatform({ core, connections, publicUrl: "https://chairside.example.test", log: new MemoryLogger() }),
      async close() {
        await fake.close();
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
        await db.drop();
      },
    };
  }

  /** Pairs OWNER_CHAT with a new account of `role`, through the bot. */
  async function pairOwner(setup: WebhookSetup, email: string, role: "owner" | "manager"): Promise<void> {
    const account = await setup.core.auth.createAccount({ tenantId: setup.tenant.id, email, name: email.split("@")[0]!, role });
    const { code } = await setup.core.owner.createPairingCode({ tenantId: setup.tenant.id, accountId: account.id });
    setup.fake.sendText(OWNER_CHAT, `/pair ${code}`);
    await setup.fake.waitForMessage(OWNER_CHAT, has("Linked!"));
  }

  it("handles owner updates on the webhook and passes client updates to the inbox", async () => {
    const setup = await webhookSetup();
    const { db, tenant, fake } = setup;
    const platform = setup.platform();
    platform.mount(setup.app);
    try {
      await platform.start(tenant);
      await pairOwner(setup, "wh@example.test", "manager");
      fake.sendText(OWNER_CHAT, "/agenda");
      await fake.waitForMessage(OWNER_CHAT, has("No bookings at Chairside Demo Salon on Monday 4 March."));
      fake.sendText(CLIENT_CHAT, "/start");
      await fake.waitForMessage(CLIENT_CHAT, (m) => m.text?.startsWith("Hi! Welcome to Chairside Demo Salon") ?? false);
      // Owner updates never enter the inbox; the client's did.
      const inbox = await db.prisma.inboundEvent.findMany({ where: { tenantId: tenant.id, channel: "telegram" }, select: { chatId: true } });
      expect(inbox.map((e) => e.chatId)).toEqual([String(CLIENT_CHAT)]);
      expect(fake.webhookDeliveries.every((d) => d.status === 200)).toBe(true);
    } finally {
      await platform.stop();
      await setup.close();
    }
  });

  it("an owner update delivered again, to a restarted server, is handled once", async () => {
    const setup = await webhookSetup();
    const { db, tenant, fake } = setup;
    // Two servers in turn on one database, each with its own memory (the second: after a restart).
    const platforms = [setup.platform(), setup.platform()];
    const routes = platforms.map((p) => p.hub.webhookRoute());
    let current = platforms[0]!;
    setup.app.all("/webhooks/:channel/:slug", (req, res, next) => routes[platforms.indexOf(current)]!(req, res, next));
    try {
      await current.start(tenant);
      await pairOwner(setup, "again@example.test", "owner");
      const agenda = fake.sendText(OWNER_CHAT, "/agenda");
      await fake.waitForMessage(OWNER_CHAT, has("No bookings at"));
      await current.stop();

      current = platforms[1]!;
      await current.start(tenant);
      fake.redeliver(agenda);
      await expect.poll(() => fake.webhookDeliveries.filter((d) => d.updateId === agenda.update_id).length).toBe(2);
      // The redelivery was answered 200 and nothing else; a new update still is handled.
      fake.sendText(OWNER_CHAT, "/agenda");
      await fake.waitForMessage(OWNER_CHAT, has("No bookings at"));
      expect(fake.botMessages(OWNER_CHAT).filter(has("No bookings at"))).toHaveLength(2);
      expect(fake.webhookDeliveries.every((d) => d.status === 200)).toBe(true);
      const handled = await db.prisma.inboundEvent.findMany({ where: { tenantId: tenant.id, channel: "telegram-owner" }, select: { externalId: true, status: true } });
      expect(handled.filter((e) => e.externalId === String(agenda.update_id))).toEqual([{ externalId: String(agenda.update_id), status: "done" }]);
      expect(await db.prisma.inboundEvent.count({ where: { tenantId: tenant.id, channel: "telegram" } })).toBe(0);
    } finally {
      await current.stop();
      await setup.close();
    }
  });
});
