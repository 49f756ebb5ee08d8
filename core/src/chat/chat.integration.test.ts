import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../errors.js";
import { createTestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { ChatLeaseStore, createChatStores, WorkerLiveness, type ChatStores } from "./index.js";

describe("chat stores (real PostgreSQL)", () => {
  let db: TestDatabase;
  let stores: ChatStores;
  let tenantId: string;
  let otherTenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    stores = createChatStores(db.prisma);
    tenantId = (await createTestSalon(db.prisma)).tenantId;
    otherTenantId = (await createTestSalon(db.prisma)).tenantId;
  });
  afterAll(async () => db.drop());

  it("loads null for a new chat, then saves and bumps the version", async () => {
    const key = { tenantId, channel: "telegram", chatId: "100" };
    expect(await stores.states.load(key)).toBeNull();
    expect(await stores.states.save(key, { step: "menu" }, 0)).toBe(1);
    expect(await stores.states.save(key, { step: "pick_service" }, 1)).toBe(2);
    expect(await stores.states.load(key)).toEqual({ state: { step: "pick_service" }, version: 2 });
  });

  it("refuses a save from an outdated read and keeps the stored state", async () => {
    const key = { tenantId, channel: "telegram", chatId: "200" };
    await stores.states.save(key, { step: "menu" }, 0);
    await stores.states.save(key, { step: "pick_service" }, 1);
    await expect(stores.states.save(key, { step: "my_bookings" }, 1)).rejects.toMatchObject({ code: "conflict" });
    await expect(stores.states.save(key, { step: "my_bookings" }, 0)).rejects.toBeInstanceOf(DomainError);
    expect(await stores.states.load(key)).toEqual({ state: { step: "pick_service" }, version: 2 });
  });

  it("lets exactly one of two concurrent first saves win", async () => {
    const key = { tenantId, channel: "telegram", chatId: "300" };
    const results = await Promise.allSettled([stores.states.save(key, { n: 1 }, 0), stores.states.save(key, { n: 2 }, 0)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("keeps chats of different salons and channels apart, and clears one", async () => {
    const a = { tenantId, channel: "telegram", chatId: "400" };
    const b = { tenantId: otherTenantId, channel: "telegram", chatId: "400" };
    const c = { tenantId, channel: "whatsapp", chatId: "400" };
    await stores.states.save(a, { who: "a" }, 0);
    await stores.states.save(b, { who: "b" }, 0);
    await stores.states.save(c, { who: "c" }, 0);
    await stores.states.clear(a);
    expect(await stores.states.load(a)).toBeNull();
    expect((await stores.states.load(b))?.state).toEqual({ who: "b" });
    expect((await stores.states.load(c))?.state).toEqual({ who: "c" });
  });

  it("refuses a malformed key", async () => {
    await expect(stores.states.load({ tenantId: "nope", channel: "telegram", chatId: "1" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  const message = (externalId: string, chatId = "500") => ({ externalId, chatId, userId: chatId, payload: { text: externalId } });

  it("records an inbound event once, per salon and channel, and keeps the batch order", async () => {
    const first = await stores.inbox.record({ tenantId, channel: "telegram", messages: [message("9001"), message("9002"), message("9001")] });
    expect(first).toEqual({ inserted: 2, chats: ["500"] });
    expect(await stores.inbox.record({ tenantId, channel: "telegram", messages: [message("9001")] })).toEqual({ inserted: 0, chats: [] });
    expect((await stores.inbox.record({ tenantId: otherTenantId, channel: "telegram", messages: [message("9001")] })).inserted).toBe(1);
    expect((await stores.inbox.record({ tenantId, channel: "whatsapp", messages: [message("9001")] })).inserted).toBe(1);
    const next = await stores.inbox.nextPending({ tenantId, channel: "telegram", chatId: "500" });
    expect(next).toMatchObject({ externalId: "9001", status: "pending", attempts: 0, payload: { text: "9001" } });
  });

  it("lets one of many concurrent deliveries through", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => stores.inbox.record({ tenantId, channel: "telegram", messages: [message("9100", "501")] })));
    expect(results.map((r) => r.inserted).reduce((a, b) => a + b)).toBe(1);
  });

  it("records delivery statuses once and subscription changes", async () => {
    const status = { providerMessageId: "wamid.1", status: "failed" as const, at: new Date("2030-01-01T00:00:00Z"), recipientId: "4520", eventId: "wamid.1:failed", error: { code: "131047", message: "Re-engagement message" } };
    await stores.inbox.record({ tenantId, channel: "whatsapp", messages: [], statuses: [status, status] });
    await stores.inbox.record({ tenantId, channel: "whatsapp", messages: [], statuses: [status] });
    expect(await db.prisma.channelStatusEvent.findMany({ where: { tenantId }, select: { status: true, error: true } })).toEqual([{ status: "failed", error: status.error }]);
    await stores.inbox.record({ tenantId, channel: "viber", messages: [], subscriptions: [{ userId: "v1", subscribed: true }] });
    await stores.inbox.record({ tenantId, channel: "viber", messages: [], subscriptions: [{ userId: "v1", subscribed: false }] });
    expect(await db.prisma.channelSubscription.findMany({ where: { tenantId }, select: { userId: true, subscribed: true } })).toEqual([{ userId: "v1", subscribed: false }]);
  });

  it("counts attempts, completes once inside a transaction, and fails after the last attempt", async () => {
    await stores.inbox.record({ tenantId, channel: "telegram", messages: [message("9200", "502"), message("9201", "502")] });
    const ref = { tenantId, channel: "telegram", externalId: "9200" };
    expect(await stores.inbox.startAttempt(ref)).toBe(1);
    await expect(db.prisma.$transaction(async (tx) => {
      await stores.states.save({ tenantId, channel: "telegram", chatId: "502" }, { step: "menu" }, 0, tx);
      await stores.inbox.complete(ref, tx);
      throw new Error("rolled back");
    })).rejects.toThrow("rolled back");
    expect(await stores.states.load({ tenantId, channel: "telegram", chatId: "502" })).toBeNull();
    await stores.inbox.complete(ref);
    await expect(stores.inbox.complete(ref)).rejects.toMatchObject({ code: "conflict" });
    expect(await stores.inbox.startAttempt(ref)).toBeNull();
    expect((await stores.inbox.nextPending({ tenantId, channel: "telegram", chatId: "502" }))?.externalId).toBe("9201");

    const other = { ...ref, externalId: "9201" };
    await stores.inbox.startAttempt(other);
    expect(await stores.inbox.recordFailure(other, "boom\nline two", 2)).toBe("pending");
    await stores.inbox.startAttempt(other);
    expect(await stores.inbox.recordFailure(other, "boom again", 2)).toBe("failed");
    expect(await stores.inbox.get(other)).toMatchObject({ status: "failed", attempts: 2, lastError: "boom again" });
    expect(await stores.inbox.hasPending({ tenantId, channel: "telegram", chatId: "502" })).toBe(false);
  });

  it("leases a chat to one holder at a time; an expired lease can be taken over", async () => {
    const chat = { tenantId, channel: "telegram", chatId: "600" };
    const claims = await Promise.all(["holder-a-0000", "holder-b-0000", "holder-c-0000"].map((h) => stores.leases.claim(chat, h, 60_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = ["holder-a-0000", "holder-b-0000", "holder-c-0000"][claims.indexOf(true)]!;
    expect(await stores.leases.renew(chat, winner, 60_000)).toBe(true);
    expect(await stores.leases.renew(chat, "someone-else", 60_000)).toBe(false);
    await db.prisma.$transaction((tx) => stores.leases.assertHeld(chat, winner, tx));
    await expect(db.prisma.$transaction((tx) => stores.leases.assertHeld(chat, "someone-else", tx))).rejects.toMatchObject({ code: "conflict" });
    // Expire it (as if the holder died): another holder takes over, the old one is fenced off.
    await db.prisma.chatLease.updateMany({ where: chat, data: { expiresAt: new Date(Date.now() - 60_000) } });
    await expect(db.prisma.$transaction((tx) => stores.leases.assertHeld(chat, winner, tx))).rejects.toMatchObject({ code: "conflict" });
    expect(await stores.leases.claim(chat, "holder-d-0000", 60_000)).toBe(true);
    expect(await stores.leases.renew(chat, winner, 60_000)).toBe(false);
    await stores.leases.release(chat, winner); // not theirs any more: no effect
    expect(await stores.leases.claim(chat, "holder-e-0000", 60_000)).toBe(false);
    await stores.leases.release(chat, "holder-d-0000");
    expect(await stores.leases.claim(chat, "holder-e-0000", 60_000)).toBe(true);
  });

  it("frees the leases of a process that is gone at once, long before they expire", async () => {
    const alive = await WorkerLiveness.acquire(db.url);
    const dying = await WorkerLiveness.acquire(db.url);
    try {
      const chatA = { tenantId, channel: "telegram", chatId: "650" };
      const chatB = { tenantId, channel: "telegram", chatId: "651" };
      expect(await new ChatLeaseStore(db.prisma, () => alive.key).claim(chatA, "holder-alive-0", 600_000)).toBe(true);
      expect(await new ChatLeaseStore(db.prisma, () => dying.key).claim(chatB, "holder-dying-0", 600_000)).toBe(true);
      await stores.inbox.record({ tenantId, channel: "telegram", messages: [message("l1", "650"), message("l2", "651")] });
      const other = new ChatLeaseStore(db.prisma, () => 0);
      expect(await other.claim(chatA, "holder-other-0", 60_000)).toBe(false);
      expect(await other.claim(chatB, "holder-other-0", 60_000)).toBe(false);
      const free = () => stores.inbox.pendingChats().then((chats) => chats.filter((c) => c.tenantId === tenantId && ["650", "651"].includes(c.chatId)).map((c) => c.chatId));
      expect(await free()).toEqual([]);
      await dying.close(); // as if the process died: its session and lock are gone
      expect(dying.key).toBe(0);
      expect(await free()).toEqual(["651"]);
      expect(await other.claim(chatA, "holder-other-0", 60_000)).toBe(false);
      expect(await other.claim(chatB, "holder-other-0", 60_000)).toBe(true);
    } finally {
      await alive.close();
      await dying.close();
    }
  });

  it("lists chats with pending events whose lease is free, and prunes processed events", async () => {
    await stores.inbox.record({ tenantId: otherTenantId, channel: "viber", messages: [message("p1", "700"), message("p2", "701")] });
    const chats = (await stores.inbox.pendingChats()).filter((c) => c.tenantId === otherTenantId && c.channel === "viber");
    expect(chats.map((c) => c.chatId).sort()).toEqual(["700", "701"]);
    await stores.leases.claim({ tenantId: otherTenantId, channel: "viber", chatId: "700" }, "holder-x-0000", 60_000);
    const free = (await stores.inbox.pendingChats()).filter((c) => c.tenantId === otherTenantId && c.channel === "viber");
    expect(free.map((c) => c.chatId)).toEqual(["701"]);

    const ref = { tenantId: otherTenantId, channel: "viber", externalId: "p2" };
    await stores.inbox.complete(ref);
    await db.prisma.inboundEvent.updateMany({ where: { tenantId: otherTenantId, channel: "viber" }, data: { receivedAt: new Date("2020-01-01T00:00:00Z") } });
    expect(await stores.inbox.pruneBefore(new Date("2021-01-01T00:00:00Z"))).toBe(1); // p1 is still pending: kept
    expect(await stores.inbox.get(ref)).toBeNull();
  });
});
