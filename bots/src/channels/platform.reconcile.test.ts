import { createHook } from "node:async_hooks";
import { ChannelConnectionsService, createCore, generateSecretKey, SecretBox, seedDemoSalon, type Core, type TenantView } from "@chairside/core";
import { createTestDatabase, createTestSalon, type TestDatabase } from "@chairside/core/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram } from "../testing/fake-telegram.js";
import { SAMPLE_BOT_TOKEN } from "../testing/sample-token.js";
import { MemoryLogger } from "../testing/scripted-chat.js";
import { ChannelPlatform, type ChannelPlatformOptions } from "./platform.js";

// Two bots: the sample token, and another bot id with the same (meaningless) secret part.
const TOKEN_A = SAMPLE_BOT_TOKEN;
const TOKEN_B = ["987654321", SAMPLE_BOT_TOKEN.split(":")[1]].join(":");
const WELCOME = (m: { text?: string }) => m.text?.startsWith("Hi! Welcome to Chairside Demo Salon") ?? false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Connections added, replaced and disabled while the platform runs: long polling against the
 * fake Bot API (real long polls), real PostgreSQL, the inbox worker and the conversation.
 */
describe("ChannelPlatform: reconciling running channels with the stored connections", () => {
  let db: TestDatabase;
  let core: Core;
  let tenant: TenantView;
  let connections: ChannelConnectionsService;
  let log: MemoryLogger;
  let platform: ChannelPlatform | undefined;
  const fakes: FakeTelegram[] = [];
  let nextChat = 9100;

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma);
    tenant = (await seedDemoSalon(db.prisma))!;
    connections = new ChannelConnectionsService(db.prisma, SecretBox.fromKey(generateSecretKey()));
  });
  afterAll(async () => db.drop());
  afterEach(async () => {
    await platform?.stop();
    platform = undefined;
    for (const fake of fakes.splice(0)) await fake.close();
    await db.prisma.channelConnection.deleteMany({ where: { channel: "telegram" } });
  });

  async function fakeBot(token: string, botUsername: string): Promise<FakeTelegram> {
    const fake = await FakeTelegram.start({ token, botUsername });
    fakes.push(fake);
    return fake;
  }

  /** Stores the salon's Telegram connection: `token` at the fake's API root. */
  async function storeTelegram(fake: FakeTelegram, token = fake.token, tenantId = tenant.id): Promise<void> {
    await connections.upsert({ tenantId, channel: "telegram", config: { apiRoot: fake.apiRoot }, secrets: { token } });
  }

  /** Starts a platform in long-polling mode (no PUBLIC_URL); the loop waits a minute unless told. */
  async function startPlatform(options: Partial<ChannelPlatformOptions> = {}): Promise<ChannelPlatform> {
    log = new MemoryLogger();
    platform = new ChannelPlatform({ core, connections, publicUrl: null, log, reconcileIntervalMs: 60_000, ...options });
    await platform.start(tenant);
    return platform;
  }

  /** A client writes /start to the bot of `fake` and gets the welcome. */
  async function expectAnswered(fake: FakeTelegram): Promise<void> {
    const chat = nextChat++;
    fake.sendText(chat, "/start");
    await fake.waitForMessage(chat, WELCOME, { timeoutMs: 5_000 });
  }

  /**
   * Nobody polls `fake`: a client's update stays unconfirmed and unanswered, and no getUpdates
   * follows it (a poller waiting in a long poll would get it at once and poll again).
   */
  async function expectNoPoller(fake: FakeTelegram): Promise<void> {
    const polls = fake.callsOf("getUpdates").length;
    const chat = nextChat++;
    const update = fake.sendText(chat, "/start");
    await sleep(400);
    expect(fake.callsOf("getUpdates").length).toBe(polls);
    expect(fake.pendingUpdates.map((u) => u.update_id)).toContain(update.update_id);
    expect(fake.botMessages(chat)).toEqual([]);
  }

  const infoLines = () => log.lines.filter((l) => l.level === "info" && / for salon /.test(l.msg)).map((l) => l.msg);
  const errors = () => log.lines.filter((l) => l.level === "error");

  it("starts a Telegram connection stored after start: its bot polls and answers /start", async () => {
    await startPlatform();
    const fake = await fakeBot(TOKEN_A, "salon_a_bot");
    await storeTelegram(fake);
    expect(fake.calls).toEqual([]);

    await platform!.reconcile();
    await expectAnswered(fake);
    expect(fake.callsOf("getUpdates").length).toBeGreaterThan(0);
    expect(infoLines()).toEqual(["Telegram started for salon demo (new connection)"]);
    expect(platform!.status(tenant.id)).toEqual([{ channel: "telegram", running: true, text: "long polling as @salon_a_bot" }]);

    // Nothing changed: the next reconcile leaves the running bot alone.
    const getMe = fake.callsOf("getMe").length;
    await platform!.reconcile();
    expect(fake.callsOf("getMe").length).toBe(getMe);
    await expectAnswered(fake);
    expect(errors()).toEqual([]);
    expect(JSON.stringify(log.lines)).not.toContain(TOKEN_A);
  });

  it("beforeReconcile runs first, so a connection it writes starts in the same reconcile; when it fails, the reconcile goes on", async () => {
    const fake = await fakeBot(TOKEN_A, "salon_a_bot");
    let fail = true;
    await startPlatform({
      beforeReconcile: async () => {
        if (fail) throw new Error("database away");
        await storeTelegram(fake);
      },
    });
    const other = await fakeBot(TOKEN_B, "salon_b_bot");
    await storeTelegram(other);
    await platform!.reconcile();
    expect(errors().map((l) => l.msg)).toEqual(["Could not write the connections that need no credentials"]);
    await expectAnswered(other);

    // Now it writes the salon's connection (replacing the other bot's) before the listing.
    fail = false;
    await platform!.reconcile();
    await expectAnswered(fake);
    await expectNoPoller(other);
  });

  it("picks up a new connection on its own, every reconcileIntervalMs", async () => {
    await startPlatform({ reconcileIntervalMs: 50 });
    const fake = await fakeBot(TOKEN_A, "salon_a_bot");
    await storeTelegram(fake);
    await expectAnswered(fake);
    expect(infoLines()).toEqual(["Telegram started for salon demo (new connection)"]);
  });

  it("a replaced token: the old bot stops polling, the new one polls and answers", async () => {
    const oldBot = await fakeBot(TOKEN_A, "salon_a_bot");
    await storeTelegram(oldBot);
    await startPlatform();
    await expectAnswered(oldBot);

    const newBot = await fakeBot(TOKEN_B, "salon_b_bot");
    await storeTelegram(newBot);
    await platform!.reconcile();
    await expectNoPoller(oldBot);
    await expectAnswered(newBot);
    expect(newBot.callsOf("getUpdates").length).toBeGreaterThan(0);
    expect(infoLines()).toEqual(["Telegram started for salon demo (connection changed)"]);
    expect(errors()).toEqual([]);
    expect(JSON.stringify(log.lines)).not.toMatch(new RegExp(`${TOKEN_A}|${TOKEN_B}`));
  });

  it("a disabled connection stops polling; enabled again, it polls again", async () => {
    const fake = await fakeBot(TOKEN_A, "salon_a_bot");
    await storeTelegram(fake);
    await startPlatform();
    await expectAnswered(fake);

    await connections.disable(tenant.id, "telegram");
    await platform!.reconcile();
    await expectNoPoller(fake);
    expect(infoLines()).toEqual(["Telegram stopped for salon demo (connection disabled or removed)"]);

    await storeTelegram(fake);
    await platform!.reconcile();
    await expectAnswered(fake);
    expect(infoLines().at(-1)).toBe("Telegram started for salon demo (new connection)");
  });

  it("webhook mode: a disabled connection's webhook is deleted; a shutdown leaves it registered", async () => {
    const fake = await fakeBot(TOKEN_A, "salon_a_bot");
    const secret = "reconcile-webhook-secret_0123456789";
    await connections.upsert({ tenantId: tenant.id, channel: "telegram", config: { apiRoot: fake.apiRoot }, secrets: { token: TOKEN_A, webhookSecret: secret } });
    await startPlatform({ publicUrl: "https://chairside.example.test" });
    expect(fake.webhookInfo).toEqual({ url: "https://chairside.example.test/webhooks/telegram/demo", secret });

    // A shutdown (and the next start) keeps the webhook: Telegram queues updates meanwhile.
    await platform!.stop();
    expect([fake.webhookInfo?.url, fake.callsOf("deleteWebhook").length]).toEqual(["https://chairside.example.test/webhooks/telegram/demo", 0]);
    await startPlatform({ publicUrl: "https://chairside.example.test" });

    await connections.disable(tenant.id, "telegram");
    await platform!.reconcile();
    expect([fake.webhookInfo, fake.callsOf("deleteWebhook").length]).toEqual([null, 1]);
    expect(infoLines()).toEqual(["Telegram stopped for salon demo (connection disabled or removed)"]);
    expect(errors()).toEqual([]);
  });

  it("a removed connection stops polling", async () => {
    const fake = await fakeBot(TOKEN_A, "salon_a_bot");
    await storeTelegram(fake);
    await startPlatform();
    await db.prisma.channelConnection.delete({ where: { tenantId_channel: { tenantId: tenant.id, channel: "telegram" } } });
    await platform!.reconcile();
    await expectNoPoller(fake);
    expect(infoLines()).toEqual(["Telegram stopped for salon demo (connection disabled or removed)"]);
  });

  it("one channel that cannot start does not keep the others from starting, is logged without its token, and is not retried before its backoff", async () => {
    const fake = await fakeBot(TOKEN_A, "salon_a_bot");
    const north = await createTestSalon(db.prisma, { slug: "north" });
    await startPlatform();
    // North's token is one the fake refuses (401 at getMe).
    await storeTelegram(fake, TOKEN_B, north.tenantId);
    await storeTelegram(fake);
    await platform!.reconcile();
    await expectAnswered(fake);
    expect(errors()).toEqual([
      expect.objectContaining({ msg: "Telegram did not start", fields: expect.objectContaining({ salon: "north", error: expect.stringMatching(/refused the bot token/) }) }),
    ]);
    expect(infoLines()).toEqual(["Telegram started for salon demo (new connection)"]);
    expect(JSON.stringify(log.lines)).not.toMatch(new RegExp(`${TOKEN_A}|${TOKEN_B}`));

    await platform!.reconcile();
    expect(errors()).toHaveLength(1);
  });

  it("a bot whose API is away at start is tried again with backoff, and polls once the API is back", async () => {
    const fake = await fakeBot(TOKEN_A, "salon_a_bot");
    fake.unavailable = true;
    await storeTelegram(fake);
    let now = Date.UTC(2030, 2, 4, 8);
    await startPlatform({ now: () => now, startRetry: { baseMs: 30_000, maxMs: 60_000 }, checkTimeoutMs: 300 });
    expect(errors()).toEqual([expect.objectContaining({ msg: "Telegram did not start", fields: expect.objectContaining({ salon: "demo" }) })]);

    // Before the backoff: not tried again. After 30 s: tried (still away), then 60 s (the cap), not 120 s.
    await platform!.reconcile();
    expect(errors()).toHaveLength(1);
    now += 30_000;
    await platform!.reconcile();
    expect(errors()).toHaveLength(2);
    now += 59_000;
    await platform!.reconcile();
    expect(errors()).toHaveLength(2);
    now += 1_000;
    fake.unavailable = false;
    await platform!.reconcile();
    expect(errors()).toHaveLength(2);
    expect(infoLines()).toEqual(["Telegram started for salon demo (try 3)"]);
    expect(platform!.status(tenant.id)).toMatchObject([{ channel: "telegram", running: true }]);
    await expectAnswered(fake);
  });

  it("stop() during a reconcile waits for the channel it is starting, then stops it: no poller is left", async () => {
    const fake = await fakeBot(TOKEN_A, "salon_a_bot");
    // Holds the bot's getMe until released, so that stop() comes while the reconcile starts it.
    let reached!: () => void;
    const getMeReached = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const heldFetch: typeof fetch = async (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith("/getMe")) {
        reached();
        await released;
      }
      return fetch(input, init);
    };
    await startPlatform({ fetch: heldFetch });
    await storeTelegram(fake);

    const reconciling = platform!.reconcile();
    await Promise.race([getMeReached, sleep(5_000).then(() => Promise.reject(new Error("the reconcile never called getMe")))]);
    let stopped = false;
    const stopping = platform!.stop().then(() => (stopped = true));
    await sleep(100);
    expect(stopped).toBe(false);
    release();
    await Promise.all([reconciling, stopping]);
    expect(fake.callsOf("getMe")).toHaveLength(1);
    await expectNoPoller(fake);

    // After stop, reconcile does nothing.
    const other = await fakeBot(TOKEN_B, "salon_b_bot");
    await storeTelegram(other);
    await platform!.reconcile();
    expect(other.calls).toEqual([]);
  });

  it("after stop() nothing runs on: the loop does not start a connection stored later, and no timer or socket is opened", async () => {
    const fake = await fakeBot(TOKEN_A, "salon_a_bot");
    await storeTelegram(fake);
    await startPlatform({ reconcileIntervalMs: 20 });
    await expectAnswered(fake);
    await platform!.stop();
    const later = await fakeBot(TOKEN_B, "salon_b_bot");
    await storeTelegram(later);

    // Every timer and TCP socket created from now on, but this file's own sleeps: a loop still
    // armed (every 20 ms) or a poller still running would create some within 400 ms.
    const created: string[] = [];
    const hook = createHook({
      init(_id, type) {
        if (!["Timeout", "TCPWRAP", "TCPCONNECTWRAP"].includes(type)) return;
        // The frames below this hook: who created it.
        const frames = (new Error().stack ?? "").split("\n").slice(2);
        if (!frames.some((f) => f.includes("platform.reconcile.test.ts"))) created.push(`${type}${frames.slice(3, 7).join("")}`);
      },
    }).enable();
    try {
      await expectNoPoller(fake);
    } finally {
      hook.disable();
    }
    expect(created).toEqual([]);
    expect(later.calls).toEqual([]);
  });

  it("refuses a second start and a reconcileIntervalMs that is not a positive whole number", async () => {
    await startPlatform();
    await expect(platform!.start(tenant)).rejects.toThrow(/can be called once/);
    for (const reconcileIntervalMs of [0, -5, 1.5, Number.NaN]) {
      expect(() => new ChannelPlatform({ core, connections, publicUrl: null, log, reconcileIntervalMs })).toThrow(/reconcileIntervalMs must be a positive whole number/);
    }
  });
});
