import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { isOverlapError } from "../db/client.js";
import { DomainError } from "../errors.js";
import { createTestClient, createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";

const CLOCK = new Date("2030-03-04T06:00:00Z"); // Monday, before opening
const SLOT = new Date("2030-03-04T12:00:00Z"); // 13:00 local

function outcome(results: PromiseSettledResult<unknown>[]) {
  const ok = results.filter((r) => r.status === "fulfilled").length;
  const codes = results
    .filter((r): r is PromiseRejectedResult => r.status === "rejected")
    .map((r) => (r.reason instanceof DomainError ? r.reason.code : String(r.reason)));
  return { ok, codes };
}

describe("double booking races (real PostgreSQL, 50 concurrent attempts)", () => {
  let db: TestDatabase;
  let core: Core;
  let salon: TestSalon;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 25 });
    core = createCore(db.prisma, new FixedClock(CLOCK));
    salon = await createTestSalon(db.prisma, { staffCount: 1 });
  });
  afterAll(async () => db.drop());

  it("50 clients booking one staff slot: exactly one booking, 49 slot_taken", async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, (_, i) => createTestClient(db.prisma, salon.tenantId, `C${i}`)));
    const results = await Promise.allSettled(
      clients.map((clientId) =>
        core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: salon.staffIds[0]!, startsAt: SLOT, channel: "race", clientId, actor: "t" }),
      ),
    );
    const { ok, codes } = outcome(results);
    expect(ok).toBe(1);
    expect(codes).toEqual(Array(49).fill("slot_taken"));
    expect(await db.prisma.booking.count({ where: { tenantId: salon.tenantId, status: { in: ["held", "confirmed"] } } })).toBe(1);
  });

  it("50 bookings rescheduled into one free slot at once: exactly one moves, the rest stay put", async () => {
    // 50 bookings of the one staff member on other days (Tue–Sat of the next two weeks, five a
    // day), all trying to move to the same free time at once.
    const sources = [];
    const days = [5, 6, 7, 8, 9, 12, 13, 14, 15, 16]; // March 2030, CET (UTC+1)
    const hoursUtc = [8, 9, 10, 12, 13]; // 09, 10, 11, 13, 14 local
    for (const day of days) {
      for (const hour of hoursUtc) {
        const clientId = await createTestClient(db.prisma, salon.tenantId, `R${day}-${hour}`);
        const startsAt = new Date(Date.UTC(2030, 2, day, hour, 0));
        sources.push(
          await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: salon.staffIds[0]!, startsAt, channel: "race", clientId, actor: "t" }),
        );
      }
    }
    expect(sources).toHaveLength(50);
    const target = new Date("2030-03-04T14:00:00Z"); // Monday 15:00 local, free
    const results = await Promise.allSettled(
      sources.map((b) => core.bookings.reschedule({ tenantId: salon.tenantId, bookingId: b.id, startsAt: target, actor: "t" })),
    );
    const { ok, codes } = outcome(results);
    expect(ok).toBe(1);
    expect(codes).toEqual(Array(49).fill("slot_taken"));
    const atTarget = await db.prisma.booking.count({ where: { tenantId: salon.tenantId, startsAt: target, status: "confirmed" } });
    expect(atTarget).toBe(1);
    const stillHome = await db.prisma.booking.count({ where: { id: { in: sources.map((s) => s.id) }, startsAt: { not: target } } });
    expect(stillHome).toBe(49);
  });

  it("the constraint holds even for writes that skip the application (raw SQL)", async () => {
    const existing = await db.prisma.booking.findFirstOrThrow({ where: { tenantId: salon.tenantId, startsAt: SLOT, status: "confirmed" } });
    const error = await db.prisma.$executeRaw`
      INSERT INTO "Booking" (id, "tenantId", "staffId", "serviceId", "clientId", status, "startsAt", "endsAt", "blockedFrom", "blockedUntil", "priceMinor", currency, channel, "updatedAt")
      VALUES (gen_random_uuid(), ${existing.tenantId}::uuid, ${existing.staffId}::uuid, ${existing.serviceId}::uuid, ${existing.clientId}::uuid, 'confirmed',
              ${new Date(SLOT.getTime() + 30 * 60_000)}, ${new Date(SLOT.getTime() + 90 * 60_000)}, ${new Date(SLOT.getTime() + 30 * 60_000)}, ${new Date(SLOT.getTime() + 90 * 60_000)},
              100, 'DKK', 'raw', now())`.catch((e: unknown) => e);
    expect(isOverlapError(error)).toBe(true);
  });
});
