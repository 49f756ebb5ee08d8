import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { DomainError } from "../errors.js";
import { createTestClient, createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import type { SlotTakenDetails } from "./booking.types.js";

// Monday 2030-03-04, 08:00 in Copenhagen (UTC+1): the salon opens at 09:00 local = 08:00Z.
const MONDAY_0700Z = new Date("2030-03-04T07:00:00Z");
const at = (iso: string) => new Date(iso);

describe("BookingService (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let clock: FixedClock;
  let salon: TestSalon;
  let clientId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    clock = new FixedClock(MONDAY_0700Z);
    core = createCore(db.prisma, clock);
    salon = await createTestSalon(db.prisma, { staffCount: 2 });
    clientId = await createTestClient(db.prisma, salon.tenantId);
  });

  it("holds, confirms and records the history", async () => {
    const held = await core.bookings.hold({
      tenantId: salon.tenantId, serviceId: salon.cutId, staffId: salon.staffIds[0]!, startsAt: at("2030-03-04T08:00:00Z"), channel: "test",
    });
    expect(held.status).toBe("held");
    expect(held.holdExpiresAt).toEqual(at("2030-03-04T07:10:00Z"));
    const confirmed = await core.bookings.confirm({ tenantId: salon.tenantId, bookingId: held.id, clientId, actor: `client:${clientId}` });
    expect(confirmed).toMatchObject({ status: "confirmed", clientId, serviceName: "Cut", staffName: "S1", priceMinor: 30000, currency: "DKK" });
    const again = await core.bookings.confirm({ tenantId: salon.tenantId, bookingId: held.id, clientId, actor: "x" });
    expect(again.status).toBe("confirmed");
    const history = await core.bookings.history({ tenantId: salon.tenantId, bookingId: held.id });
    expect(history.map((e) => e.type)).toEqual(["held", "confirmed"]);
  });

  it("refuses a taken slot with the nearest alternatives", async () => {
    const staffId = salon.staffIds[0]!;
    await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId, startsAt: at("2030-03-04T09:00:00Z"), channel: "test", clientId, actor: "t" });
    const error = await core.bookings
      .hold({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId, startsAt: at("2030-03-04T09:00:00Z"), channel: "test" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("slot_taken");
    const alternatives = ((error as DomainError).details as unknown as SlotTakenDetails).alternatives.map((s) => s.startsAt.toISOString());
    // 09:00Z is 10:00 local; S1 is busy 10:00–11:00 local. Free 60-min starts nearest to it: 09:00 local
    // (ends as the booking begins), 11:00 local (ends at the 12:00 break), then 13:00 local after the break.
    expect(alternatives).toEqual(["2030-03-04T08:00:00.000Z", "2030-03-04T10:00:00.000Z", "2030-03-04T12:00:00.000Z"]);
  });

  it("refuses a time outside working hours as unavailable, not taken", async () => {
    const error = await core.bookings
      .hold({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: at("2030-03-04T11:30:00Z"), channel: "test" })
      .catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("slot_unavailable"); // 12:30 local overlaps the lunch break
  });

  it("spreads 'any staff' bookings fairly instead of always picking the first", async () => {
    const picks: string[] = [];
    for (const iso of ["2030-03-04T08:00:00Z", "2030-03-04T10:00:00Z", "2030-03-04T13:00:00Z", "2030-03-04T14:00:00Z"]) {
      const b = await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: at(iso), channel: "test", clientId, actor: "t" });
      picks.push(b.staffName);
    }
    expect(picks.filter((p) => p === "S1")).toHaveLength(2);
    expect(picks.filter((p) => p === "S2")).toHaveLength(2);
  });

  it("lets a lapsed hold go to someone else, and tells the first client with alternatives", async () => {
    const staffId = salon.staffIds[0]!;
    const first = await core.bookings.hold({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId, startsAt: at("2030-03-04T08:00:00Z"), channel: "test" });
    // While the hold is live the time is not offered.
    const before = await core.availability.findSlotsOnDay({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId, date: "2030-03-04" });
    expect(before.map((s) => s.startsAt.toISOString())).not.toContain("2030-03-04T08:00:00.000Z");
    clock.advanceMinutes(11);
    const otherClient = await createTestClient(db.prisma, salon.tenantId, "Other");
    await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId, startsAt: at("2030-03-04T08:00:00Z"), channel: "test", clientId: otherClient, actor: "t" });
    const error = await core.bookings.confirm({ tenantId: salon.tenantId, bookingId: first.id, clientId, actor: "t" }).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("slot_taken");
    expect(((error as DomainError).details as unknown as SlotTakenDetails).alternatives.length).toBeGreaterThan(0);
  });

  it("confirms a lapsed hold whose time is still free", async () => {
    const held = await core.bookings.hold({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: at("2030-03-04T08:00:00Z"), channel: "test" });
    clock.advanceMinutes(30);
    const confirmed = await core.bookings.confirm({ tenantId: salon.tenantId, bookingId: held.id, clientId, actor: "t" });
    expect(confirmed.status).toBe("confirmed");
  });

  it("reschedules atomically and keeps the old time when the new one is taken", async () => {
    const [s1] = salon.staffIds;
    const mine = await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: s1!, startsAt: at("2030-03-04T13:00:00Z"), channel: "test", clientId, actor: "t" });
    const other = await createTestClient(db.prisma, salon.tenantId, "Other");
    await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: s1!, startsAt: at("2030-03-04T15:00:00Z"), channel: "test", clientId: other, actor: "t" });

    const error = await core.bookings
      .reschedule({ tenantId: salon.tenantId, bookingId: mine.id, startsAt: at("2030-03-04T15:00:00Z"), actor: "t", clientId })
      .catch((e: unknown) => e);
    expect((error as DomainError).code).toBe("slot_taken");
    expect((await core.bookings.getBooking({ tenantId: salon.tenantId, bookingId: mine.id })).startsAt).toEqual(at("2030-03-04T13:00:00Z"));

    // Moving by 30 minutes overlaps its own old time: allowed.
    const moved = await core.bookings.reschedule({ tenantId: salon.tenantId, bookingId: mine.id, startsAt: at("2030-03-04T13:30:00Z"), actor: "t", clientId });
    expect(moved.startsAt).toEqual(at("2030-03-04T13:30:00Z"));
    expect(moved.endsAt).toEqual(at("2030-03-04T14:30:00Z"));
    const history = await core.bookings.history({ tenantId: salon.tenantId, bookingId: mine.id });
    expect(history.at(-1)).toMatchObject({ type: "rescheduled", fromStarts: at("2030-03-04T13:00:00Z"), toStarts: at("2030-03-04T13:30:00Z") });
  });

  it("cancels, honours the client cut-off, and hides other clients' bookings", async () => {
    const b = await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: at("2030-03-04T08:00:00Z"), channel: "test", clientId, actor: "t" });
    const stranger = await createTestClient(db.prisma, salon.tenantId, "Stranger");
    await expect(core.bookings.cancel({ tenantId: salon.tenantId, bookingId: b.id, actor: "t", clientId: stranger })).rejects.toMatchObject({ code: "not_found" });
    // 60 minutes before the start is inside the 120-minute cut-off.
    await expect(core.bookings.cancel({ tenantId: salon.tenantId, bookingId: b.id, actor: "t", clientId })).rejects.toMatchObject({ code: "cancellation_too_late" });
    const staffCancel = await core.bookings.cancel({ tenantId: salon.tenantId, bookingId: b.id, actor: "staff:x", reason: "client phoned" });
    expect(staffCancel.status).toBe("cancelled");
    expect(await core.bookings.listUpcomingForClient({ tenantId: salon.tenantId, clientId })).toEqual([]);
    // The freed time is offered again.
    const slots = await core.availability.findSlotsOnDay({ tenantId: salon.tenantId, serviceId: salon.cutId, date: "2030-03-04" });
    expect(slots[0]!.startsAt).toEqual(at("2030-03-04T08:00:00Z"));
  });

  it("refuses bad input with invalid_input and writes nothing", async () => {
    await expect(
      core.bookings.hold({ tenantId: "nope", serviceId: salon.cutId, staffId: null, startsAt: at("2030-03-04T08:00:00Z"), channel: "test" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect(await db.prisma.booking.count({ where: { tenantId: salon.tenantId } })).toBe(0);
  });

  it("never lets one salon's ids reach into another salon", async () => {
    const b = await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: null, startsAt: at("2030-03-04T08:00:00Z"), channel: "test", clientId, actor: "t" });
    const otherSalon = await createTestSalon(db.prisma);
    await expect(core.bookings.getBooking({ tenantId: otherSalon.tenantId, bookingId: b.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(core.bookings.cancel({ tenantId: otherSalon.tenantId, bookingId: b.id, actor: "t" })).rejects.toMatchObject({ code: "not_found" });
  });
});
