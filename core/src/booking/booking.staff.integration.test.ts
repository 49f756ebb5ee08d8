import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestClient, createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";

const at = (iso: string) => new Date(iso);

describe("BookingService for staff at the desk (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let salon: TestSalon;
  let clientId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    core = createCore(db.prisma, new FixedClock(at("2030-03-04T08:05:00Z"))); // Monday 09:05 local
    salon = await createTestSalon(db.prisma, { staffCount: 2, minimumNoticeMinutes: 120 });
    clientId = await createTestClient(db.prisma, salon.tenantId);
  });

  it("lets staff book a walk-in inside the client's minimum notice, but not clients", async () => {
    const soon = at("2030-03-04T08:15:00Z"); // 10 minutes from now
    await expect(
      core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: soon, channel: "telegram", clientId, actor: "t" }),
    ).rejects.toMatchObject({ code: "slot_unavailable" });
    const walkIn = await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: soon, channel: "admin", clientId, actor: "staff:a", policy: "staff" });
    expect(walkIn).toMatchObject({ status: "confirmed", clientName: "Test Client", channel: "admin" });
  });

  it("moves a booking to another staff member's column, refusing a collision there", async () => {
    const [s1, s2] = salon.staffIds as [string, string];
    const mine = await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: s1, startsAt: at("2030-03-05T08:00:00Z"), channel: "admin", clientId, actor: "t", policy: "staff" });
    const other = await createTestClient(db.prisma, salon.tenantId, "Other");
    await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: s2, startsAt: at("2030-03-05T09:00:00Z"), channel: "admin", clientId: other, actor: "t", policy: "staff" });

    await expect(
      core.bookings.reschedule({ tenantId: salon.tenantId, bookingId: mine.id, startsAt: at("2030-03-05T09:30:00Z"), staffId: s2, actor: "staff:a", policy: "staff" }),
    ).rejects.toMatchObject({ code: "slot_taken" });
    const moved = await core.bookings.reschedule({ tenantId: salon.tenantId, bookingId: mine.id, startsAt: at("2030-03-05T08:00:00Z"), staffId: s2, actor: "staff:a", policy: "staff" });
    expect(moved).toMatchObject({ staffId: s2, staffName: "S2" });
    await expect(
      core.bookings.reschedule({ tenantId: salon.tenantId, bookingId: mine.id, startsAt: at("2030-03-05T08:00:00Z"), staffId: s1, actor: "t", clientId }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("marks arrived, completed and no-show along the allowed paths only, with history", async () => {
    const b = await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: at("2030-03-04T12:00:00Z"), channel: "admin", clientId, actor: "t", policy: "staff" });
    expect((await core.bookings.setStatus({ tenantId: salon.tenantId, bookingId: b.id, status: "arrived", actor: "staff:a" })).status).toBe("arrived");
    expect((await core.bookings.setStatus({ tenantId: salon.tenantId, bookingId: b.id, status: "completed", actor: "staff:a" })).status).toBe("completed");
    await expect(core.bookings.setStatus({ tenantId: salon.tenantId, bookingId: b.id, status: "no_show", actor: "staff:a" })).rejects.toMatchObject({ code: "booking_not_changeable" });
    const history = await core.bookings.history({ tenantId: salon.tenantId, bookingId: b.id });
    expect(history.map((e) => e.type)).toEqual(["held", "confirmed", "arrived", "completed"]);
  });

  it("lists a day's bookings for the calendar, without lapsed holds", async () => {
    await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: at("2030-03-04T13:00:00Z"), channel: "admin", clientId, actor: "t", policy: "staff" });
    const cancelled = await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: at("2030-03-04T14:00:00Z"), channel: "admin", clientId, actor: "t", policy: "staff" });
    await core.bookings.cancel({ tenantId: salon.tenantId, bookingId: cancelled.id, actor: "staff:a" });
    const list = await core.bookings.listForCalendar({ tenantId: salon.tenantId, from: at("2030-03-04T00:00:00Z"), to: at("2030-03-05T00:00:00Z") });
    expect(list.map((b) => [b.startsAt.toISOString(), b.status])).toEqual([
      ["2030-03-04T13:00:00.000Z", "confirmed"],
      ["2030-03-04T14:00:00.000Z", "cancelled"],
    ]);
  });
});

describe("BookingService change hooks", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it("run inside the change's transaction: a failing hook leaves the booking unchanged", async () => {
    const core = createCore(db.prisma, new FixedClock(at("2030-03-04T06:00:00Z")));
    const salon = await createTestSalon(db.prisma);
    const clientId = await createTestClient(db.prisma, salon.tenantId);
    const seen: string[] = [];
    let fail = false;
    core.bookings.onChange(async (_tx, change) => {
      seen.push(`${change.type}:${change.booking.startsAt.toISOString()}`);
      if (fail) throw new Error("outbox down");
    });
    const b = await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: at("2030-03-05T08:00:00Z"), channel: "t", clientId, actor: "t" });
    await core.bookings.reschedule({ tenantId: salon.tenantId, bookingId: b.id, startsAt: at("2030-03-05T09:00:00Z"), actor: "t" });
    fail = true;
    await expect(core.bookings.cancel({ tenantId: salon.tenantId, bookingId: b.id, actor: "t" })).rejects.toThrow("outbox down");
    expect((await core.bookings.getBooking({ tenantId: salon.tenantId, bookingId: b.id })).status).toBe("confirmed");
    expect(seen).toEqual(["confirmed:2030-03-05T08:00:00.000Z", "rescheduled:2030-03-05T09:00:00.000Z", "cancelled:2030-03-05T09:00:00.000Z"]);
  });
});
