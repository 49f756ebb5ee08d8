import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { WebchatStore } from "./webchat.store.js";

describe("WebchatStore (real PostgreSQL)", () => {
  let db: TestDatabase;
  let store: WebchatStore;
  let tenantId: string;
  let otherTenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new WebchatStore(db.prisma);
    tenantId = (await createTestSalon(db.prisma)).tenantId;
    otherTenantId = (await createTestSalon(db.prisma)).tenantId;
  });
  afterAll(async () => db.drop());

  it("opens conversations with random ids and tokens; stores only the token's hash", async () => {
    const a = await store.openWidgetConversation(tenantId);
    const b = await store.openWidgetConversation(tenantId);
    expect(a.conversationId).toMatch(/^wc_[A-Za-z0-9_-]{32}$/);
    expect(a.conversationId).not.toBe(b.conversationId);
    expect(a.token.startsWith(`${a.conversationId}.`)).toBe(true);
    const row = await db.prisma.webchatConversation.findFirstOrThrow({ where: { id: a.conversationId } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(a.token.split(".")[1]);
  });

  it("a token opens its own conversation only, in its own salon", async () => {
    const a = await store.openWidgetConversation(tenantId);
    const b = await store.openWidgetConversation(tenantId);
    expect(await store.verifyWidgetToken(tenantId, a.token)).toBe(a.conversationId);
    expect(await store.verifyWidgetToken(otherTenantId, a.token)).toBeNull();
    expect(await store.verifyWidgetToken(tenantId, `${b.conversationId}.${a.token.split(".")[1]}`)).toBeNull();
    expect(await store.verifyWidgetToken(tenantId, `${a.token}x`)).toBeNull();
    expect(await store.verifyWidgetToken(tenantId, "garbage")).toBeNull();
  });

  it("appends with increasing watermarks, also concurrently, and pages after a watermark", async () => {
    const { conversationId } = await store.openWidgetConversation(tenantId);
    const batches = await Promise.all(Array.from({ length: 10 }, (_, i) => store.append(tenantId, conversationId, [{ type: "message", text: `a${i}` }, { type: "message", text: `b${i}` }])));
    expect(batches.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const first = await store.activitiesAfter(tenantId, conversationId, 0);
    expect(first.activities).toHaveLength(20);
    expect(first.watermark).toBe("20");
    expect(first.activities[0]!.id).toBe(`${conversationId}|0000001`);
    expect((await store.activitiesAfter(tenantId, conversationId, 18)).activities.map((a) => a.id)).toEqual([`${conversationId}|0000019`, `${conversationId}|0000020`]);
    expect(await store.activitiesAfter(tenantId, conversationId, 20)).toEqual({ activities: [], watermark: "20" });
    await expect(store.activitiesAfter(otherTenantId, conversationId, 0)).rejects.toMatchObject({ code: "not_found" });
    await expect(store.append(otherTenantId, conversationId, [{ type: "message" }])).rejects.toMatchObject({ code: "not_found" });
  });

  it("keeps Azure conversation references and lists salons without web chat", async () => {
    await store.saveReference(tenantId, "az_test", { serviceUrl: "https://smba.trafficmanager.net/emea/", channelId: "msteams" });
    expect(await store.get(tenantId, "az_test")).toMatchObject({ kind: "azure", reference: { channelId: "msteams" } });
    expect(await store.get(otherTenantId, "az_test")).toBeNull();
    expect(new Set(await store.salonsWithoutWebchat())).toEqual(new Set([tenantId, otherTenantId]));
  });
});
