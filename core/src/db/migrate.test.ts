import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { migrate } from "./migrate.js";

describe("migrate", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it("is idempotent: a second run applies nothing", async () => {
    const again = await migrate(db.url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThan(0);
  });

  it("keeps booking history append-only", async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await expect(c.query(`DELETE FROM "BookingEvent"`)).resolves.toBeDefined(); // no rows: trigger not fired
      const t = await c.query(`INSERT INTO "Tenant"(id, slug, name, "timeZone", currency) VALUES (gen_random_uuid(), 'x', 'X', 'UTC', 'EUR') RETURNING id`);
      const tenantId = t.rows[0].id;
      const s = await c.query(`INSERT INTO "Staff"(id, "tenantId", name) VALUES (gen_random_uuid(), $1, 'S') RETURNING id`, [tenantId]);
      const sv = await c.query(`INSERT INTO "Service"(id, "tenantId", name, "durationMinutes", "priceMinor") VALUES (gen_random_uuid(), $1, 'Cut', 30, 100) RETURNING id`, [tenantId]);
      const b = await c.query(
        `INSERT INTO "Booking"(id, "tenantId", "staffId", "serviceId", status, "startsAt", "endsAt", "blockedFrom", "blockedUntil", "priceMinor", currency, channel, "holdExpiresAt", "updatedAt")
         VALUES (gen_random_uuid(), $1, $2, $3, 'held', '2030-01-01T10:00Z', '2030-01-01T10:30Z', '2030-01-01T10:00Z', '2030-01-01T10:30Z', 100, 'EUR', 'test', '2030-01-01T09:00Z', now()) RETURNING id`,
        [tenantId, s.rows[0].id, sv.rows[0].id],
      );
      await c.query(`INSERT INTO "BookingEvent"(id, "tenantId", "bookingId", type, actor) VALUES (gen_random_uuid(), $1, $2, 'held', 'system')`, [tenantId, b.rows[0].id]);
      await expect(c.query(`UPDATE "BookingEvent" SET type = 'x'`)).rejects.toThrow(/append-only/);
      await expect(c.query(`DELETE FROM "BookingEvent"`)).rejects.toThrow(/append-only/);
    } finally {
      await c.end();
    }
  });
});
