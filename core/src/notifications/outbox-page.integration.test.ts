import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { createTestClient, createTestSalon } from "../testing/fixtures.js";

describe("NotificationService.listPage (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let tenantId: string;
  let otherId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma, new FixedClock(new Date("2027-03-10T12:00:00Z")));
    tenantId = (await createTestSalon(db.prisma)).tenantId;
    otherId = (await createTestSalon(db.prisma)).tenantId;
    const clientId = await createTestClient(db.prisma, tenantId, "Ada");
    // Seven rows written in the same instant (one batch), two on WhatsApp; one row of another salon.
    await core.notifications.enqueue(
      Array.from({ length: 7 }, (_, i) => ({
        tenantId,
        kind: "reminder_24h" as const,
        category: "utility" as const,
        clientId: i < 5 ? clientId : null,
        channel: i < 2 ? "whatsapp" : null,
        data: {},
        idempotencyKey: `k${i}`,
      })),
    );
    await core.notifications.enqueue([{ tenantId: otherId, kind: "owner_alert", category: "owner", data: {}, idempotencyKey: "x" }]);
  });
  afterAll(async () => db.drop());

  it("pages without overlap even within one instant, with client names and totals", async () => {
    const pages = await Promise.all([1, 2, 3].map((page) => core.notifications.listPage({ tenantId, page, pageSize: 3 })));
    expect(pages.map((p) => p.rows.length)).toEqual([3, 3, 1]);
    expect(pages[0]).toMatchObject({ total: 7, page: 1, pageSize: 3, pageCount: 3 });
    expect(new Set(pages.flatMap((p) => p.rows.map((r) => r.id))).size).toBe(7);
    expect(pages.flatMap((p) => p.rows.map((r) => r.clientName)).filter((n) => n === "Ada")).toHaveLength(5);
    expect((await core.notifications.listPage({ tenantId, page: 4, pageSize: 3 })).rows).toEqual([]);
  });

  it("filters by status and channel, one salon only", async () => {
    expect((await core.notifications.listPage({ tenantId, channel: "whatsapp" })).total).toBe(2);
    expect((await core.notifications.listPage({ tenantId, status: "failed" })).total).toBe(0);
    expect((await core.notifications.listPage({ tenantId, status: "pending" })).total).toBe(7);
    expect((await core.notifications.listPage({ tenantId: otherId })).rows.map((r) => r.kind)).toEqual(["owner_alert"]);
  });

  it("refuses unknown filters and oversized pages (invalid_input)", async () => {
    for (const bad of [{ status: "lost" }, { channel: "fax" }, { page: 0 }, { pageSize: 201 }]) {
      await expect(core.notifications.listPage({ tenantId, ...(bad as object) })).rejects.toMatchObject({ code: "invalid_input" });
    }
  });
});
