import {
  ChatLeaseStore,
  createChatStores,
  createCore,
  createPrismaClient,
  FixedClock,
  InboxStore,
  seedDemoSalon,
  type ChatKey,
  type Core,
  type PrismaClient,
  type TenantView,
} from "@chairside/core";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConversationEngine, type CommitHook, type InboundEnvelope } from "../conversation/engine.js";
import type { ConversationEvent, Prompt } from "../conversation/types.js";
import { MemoryLogger } from "../testing/scripted-chat.js";
import type { Channel, InboundMessage } from "./channel.js";
import { InboxWorker, type InboxWorkerTuning } from "./inbox-worker.js";

// Monday 2030-03-04 08:00 in Copenhagen.
const NOW = new Date("2030-03-04T07:00:00Z");
const CHANNEL = "test";
const MENU = "What would you like to do?";
const SERVICES = "Which service would you like?";
const NO_BOOKINGS = "You have no upcoming bookings.";

/** Waits (polling, bounded) until `probe` is true. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One server instance: its own Prisma pool, engine and worker, sharing the database. */
interface Instance {
  prisma: PrismaClient;
  inbox: InboxStore;
  leases: ChatLeaseStore;
  worker: InboxWorker;
  log: MemoryLogger;
}

describe("inbox worker (real PostgreSQL): persist first, once, in order, across instances", () => {
  let db: TestDatabase;
  let tenant: TenantView;
  const instances: Instance[] = [];
  /** Replies as the client sees them: chat, first line of each prompt, in the order they were sent. */
  const sent: { chatId: string; text: string }[] = [];
  /** Event ids in the order their step committed. */
  const committed: string[] = [];
  /** Per event id: something to do before the step (a crash, a stolen lease). */
  const before = new Map<string, () => Promise<void>>();

  const channel: Channel = {
    name: CHANNEL,
    limits: { maxChoices: 100, maxLabelLength: 64, sharesContact: true },
    parse: () => [],
    async send(chatId: string, prompts: readonly Prompt[]) {
      for (const p of prompts) sent.push({ chatId, text: p.text.split("\n")[0] ?? "" });
      return prompts.map((_, i) => `reply-${chatId}-${sent.length}-${i}`);
    },
  };

  function instance(tuning: Partial<InboxWorkerTuning> = {}): Instance {
    const prisma = createPrismaClient(db.url, { poolSize: 4 });
    const core: Core = createCore(prisma, new FixedClock(NOW));
    const stores = createChatStores(prisma);
    const log = new MemoryLogger();
    const real = new ConversationEngine({ core, stores, log });
    const engine = {
      async process(input: InboundEnvelope, commit: CommitHook) {
        await before.get(input.eventId ?? "")?.();
        return real.process(input, async (tx) => {
          await commit(tx);
          committed.push(input.eventId ?? "?");
        });
      },
    };
    const worker = new InboxWorker(
      { inbox: stores.inbox, leases: stores.leases, engine, resolve: async () => ({ tenant, channel }), log },
      { sweepMs: 100, leaseMs: 2_000, ...tuning },
    );
    const created = { prisma, inbox: stores.inbox, leases: stores.leases, worker, log };
    instances.push(created);
    return created;
  }

  let seq = 0;
  const message = (chatId: string, event: ConversationEvent, eventId = `e${++seq}`): InboundMessage => ({
    chatId,
    userId: chatId,
    eventId,
    profile: { name: "Ada", languageCode: "en" },
    event,
  });
  const text = (chatId: string, t: string, eventId?: string) => message(chatId, { kind: "text", text: t }, eventId);
  const chatKey = (chatId: string): ChatKey => ({ tenantId: tenant.id, channel: CHANNEL, chatId });

  /** What a webhook's deliver does: store (one transaction), then kick. */
  async function deliver(into: Instance, messages: InboundMessage[]): Promise<void> {
    const { chats } = await into.inbox.record({
      tenantId: tenant.id,
      channel: CHANNEL,
      messages: messages.map((m) => ({ externalId: m.eventId, chatId: m.chatId, userId: m.userId, payload: m })),
    });
    for (const chatId of chats) into.worker.kick(chatKey(chatId));
  }

  const rowsOf = (chatId: string) =>
    db.prisma.inboundEvent.findMany({ where: { tenantId: tenant.id, channel: CHANNEL, chatId }, orderBy: [{ receivedAt: "asc" }, { seq: "asc" }] });
  const textsTo = (chatId: string) => sent.filter((s) => s.chatId === chatId).map((s) => s.text);

  beforeAll(async () => {
    db = await createTestDatabase();
    tenant = (await seedDemoSalon(db.prisma))!;
  });
  afterAll(async () => {
    for (const i of instances) {
      await i.worker.stop();
      await i.prisma.$disconnect();
    }
    await db.drop();
  });

  it("handles each event once and in order; a redelivered webhook changes nothing", async () => {
    const a = instance();
    const batch = [message("100", { kind: "start" }, "w1"), text("100", "1", "w2"), text("100", "menu", "w3")];
    await deliver(a, batch);
    await deliver(a, batch); // the provider retries
    await a.worker.idle();
    expect(textsTo("100")).toEqual(["Hi! Welcome to Chairside Demo Salon. What would you like to do?", SERVICES, MENU]);
    const rows = await rowsOf("100");
    expect(rows.map((r) => [r.externalId, r.status, r.attempts])).toEqual([
      ["w1", "done", 1],
      ["w2", "done", 1],
      ["w3", "done", 1],
    ]);
    expect(rows[0]?.replyMessageIds).toHaveLength(1);
    expect(await db.prisma.conversationState.findFirst({ where: { chatId: "100" }, select: { version: true } })).toEqual({ version: 3 });
  });

  it("a second instance continues the conversation the first began (alternating)", async () => {
    const a = instance();
    const b = instance();
    const script = ["menu", "1", "menu", "1", "menu", "1"];
    for (const [i, t] of script.entries()) {
      const into = i % 2 === 0 ? a : b;
      await deliver(into, [text("200", t)]);
      await into.worker.idle();
    }
    expect(textsTo("200")).toEqual([MENU, SERVICES, MENU, SERVICES, MENU, SERVICES]);
    expect((await rowsOf("200")).every((r) => r.status === "done" && r.attempts === 1)).toBe(true);
  });

  it("two instances delivering one chat's events concurrently still handle each once, strictly in order", async () => {
    const a = instance();
    const b = instance();
    const chat = "300";
    // "menu" → the menu; "2" → My bookings (from the menu and from My bookings alike).
    const events = Array.from({ length: 24 }, (_, i) => text(chat, i % 3 === 0 ? "2" : "menu", `c${i}`));
    await Promise.all(events.map((e, i) => deliver(i % 2 === 0 ? a : b, [e])));
    await Promise.all(events.map((e, i) => deliver(i % 2 === 0 ? b : a, [e]))); // and every event again, through the other instance
    await until("every event handled", async () => (await rowsOf(chat)).every((r) => r.status === "done"));
    await Promise.all([a.worker.idle(), b.worker.idle()]);

    const rows = await rowsOf(chat);
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    // Processed in the order stored, each once.
    const order = committed.filter((id) => id.startsWith("c"));
    expect(order).toEqual(rows.map((r) => r.externalId));
    // The replies went out in that order too, one per event.
    const expected = rows.map((r) => ((r.payload as { event: { text: string } }).event.text === "menu" ? MENU : NO_BOOKINGS));
    expect(textsTo(chat)).toEqual(expected);
    const state = await db.prisma.conversationState.findFirstOrThrow({ where: { chatId: chat } });
    expect(state.version).toBe(24);
  });

  it("picks up an event a crashed worker left behind, once its lease is free (attempts + 1)", async () => {
    const chat = "400";
    const dead = instance();
    await dead.inbox.record({ tenantId: tenant.id, channel: CHANNEL, messages: [{ externalId: "k1", chatId: chat, userId: chat, payload: text(chat, "menu", "k1") }] });
    // The dead worker had claimed the chat and started the event, then died (no release, no commit).
    expect(await dead.leases.claim(chatKey(chat), "dead-worker-holder", 1_000)).toBe(true);
    expect(await dead.inbox.startAttempt({ tenantId: tenant.id, channel: CHANNEL, externalId: "k1" })).toBe(1);

    const alive = instance();
    alive.worker.start();
    await until("the event to be handled", async () => (await rowsOf(chat))[0]?.status === "done");
    expect((await rowsOf(chat))[0]).toMatchObject({ attempts: 2, status: "done" });
    expect(textsTo(chat)).toEqual([MENU]);
    await alive.worker.stop();
  });

  it("marks an event failed after 5 attempts, logs it, and goes on with the chat's next event", async () => {
    const chat = "500";
    const a = instance();
    before.set("poison", async () => {
      throw new Error("database on fire");
    });
    await deliver(a, [text(chat, "menu", "poison"), text(chat, "menu", "after-poison")]);
    a.worker.start();
    await until("the next event to be handled", async () => (await rowsOf(chat)).every((r) => r.status !== "pending"));
    const [poison, next] = await rowsOf(chat);
    expect(poison).toMatchObject({ status: "failed", attempts: 5, lastError: "database on fire" });
    expect(next).toMatchObject({ status: "done", attempts: 1 });
    expect(textsTo(chat)).toEqual([MENU]);
    expect(a.log.lines.some((l) => l.level === "error" && l.msg.startsWith("Gave up on an inbound event"))).toBe(true);
    await a.worker.stop();
  });

  it("a worker whose lease was taken over mid-step commits nothing and sends nothing", async () => {
    const chat = "600";
    const a = instance({ leaseMs: 60_000 });
    const thief = new ChatLeaseStore(db.prisma);
    before.set("stolen", async () => {
      before.delete("stolen");
      // Another process takes the chat over (as if our lease had expired during a long pause).
      await db.prisma.chatLease.updateMany({ where: chatKey(chat), data: { expiresAt: new Date(Date.now() - 1000) } });
      expect(await thief.claim(chatKey(chat), "thief-holder-000", 60_000)).toBe(true);
    });
    await deliver(a, [text(chat, "menu", "stolen")]);
    await a.worker.idle();
    expect(textsTo(chat)).toEqual([]);
    expect((await rowsOf(chat))[0]).toMatchObject({ status: "pending", attempts: 1 });
    expect(await db.prisma.conversationState.count({ where: { chatId: chat } })).toBe(0);
    // The new holder lets go; the event is handled once.
    await thief.release(chatKey(chat), "thief-holder-000");
    a.worker.kick(chatKey(chat));
    await a.worker.idle();
    expect(textsTo(chat)).toEqual([MENU]);
    expect((await rowsOf(chat))[0]).toMatchObject({ status: "done", attempts: 2 });
  });

  it("fails an event whose stored payload is not a message at once", async () => {
    const chat = "700";
    const a = instance();
    await a.inbox.record({ tenantId: tenant.id, channel: CHANNEL, messages: [{ externalId: "bad", chatId: chat, userId: chat, payload: { event: "DROP TABLE" } }] });
    a.worker.kick(chatKey(chat));
    await a.worker.idle();
    expect((await rowsOf(chat))[0]).toMatchObject({ status: "failed", attempts: 1, lastError: "The stored payload is not an inbound message" });
    expect(textsTo(chat)).toEqual([]);
  });
});
