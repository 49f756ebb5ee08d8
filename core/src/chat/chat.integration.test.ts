import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../errors.js";
import { createTestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { createChatStores, type ChatStores } from "./index.js";

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

  it("records an inbound event once, per salon and channel", async () => {
    const ref = { tenantId, channel: "telegram", externalId: "9001" };
    expect(await stores.ledger.recordOnce(ref)).toBe(true);
    expect(await stores.ledger.recordOnce(ref)).toBe(false);
    expect(await stores.ledger.recordOnce({ ...ref, tenantId: otherTenantId })).toBe(true);
    expect(await stores.ledger.recordOnce({ ...ref, channel: "whatsapp" })).toBe(true);
  });

  it("lets one of many concurrent deliveries through", async () => {
    const ref = { tenantId, channel: "telegram", externalId: "9002" };
    const results = await Promise.all(Array.from({ length: 10 }, () => stores.ledger.recordOnce(ref)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("forgets an event so it is handled again, and prunes old records", async () => {
    const ref = { tenantId, channel: "telegram", externalId: "9003" };
    await stores.ledger.recordOnce(ref);
    await stores.ledger.forget(ref);
    expect(await stores.ledger.recordOnce(ref)).toBe(true);
    await db.prisma.inboundEvent.updateMany({ where: ref, data: { receivedAt: new Date("2020-01-01T00:00:00Z") } });
    expect(await stores.ledger.pruneBefore(new Date("2021-01-01T00:00:00Z"))).toBe(1);
    expect(await stores.ledger.recordOnce(ref)).toBe(true);
  });
});
