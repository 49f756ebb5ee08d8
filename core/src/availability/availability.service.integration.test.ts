import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";

const iso = (slots: { startsAt: Date }[]) => slots.map((s) => s.startsAt.toISOString());

describe("AvailabilityService (rules stored in PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let salon: TestSalon;
  const clock = new FixedClock(new Date("2030-03-04T07:00:00Z")); // Monday 08:00 Copenhagen

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma, clock);
    salon = await createTestSalon(db.prisma, { staffCount: 1 });
    const staffId = salon.staffIds[0]!;
    // Tuesday: open only 10:00–12:00 local. Wednesday: closed. Thursday: away 14:00–16:00 local.
    await db.prisma.dateOverride.create({ data: { tenantId: salon.tenantId, staffId, date: new Date("2030-03-05"), ranges: [{ startMinute: 600, endMinute: 720 }] } });
    await db.prisma.dateOverride.create({ data: { tenantId: salon.tenantId, staffId, date: new Date("2030-03-06"), ranges: [] } });
    await db.prisma.timeOff.create({ data: { tenantId: salon.tenantId, staffId, startsAt: new Date("2030-03-07T13:00:00Z"), endsAt: new Date("2030-03-07T15:00:00Z") } });
  });
  afterAll(async () => db.drop());

  it("applies date overrides, closed days and time off from the database", async () => {
    const tuesday = await core.availability.findSlotsOnDay({ tenantId: salon.tenantId, serviceId: salon.cutId, date: "2030-03-05" });
    expect(iso(tuesday)).toEqual(["2030-03-05T09:00:00.000Z", "2030-03-05T09:15:00.000Z", "2030-03-05T09:30:00.000Z", "2030-03-05T09:45:00.000Z", "2030-03-05T10:00:00.000Z"]);
    expect(await core.availability.findSlotsOnDay({ tenantId: salon.tenantId, serviceId: salon.cutId, date: "2030-03-06" })).toEqual([]);
    const thursday = iso(await core.availability.findSlotsOnDay({ tenantId: salon.tenantId, serviceId: salon.cutId, date: "2030-03-07" }));
    expect(thursday).toContain("2030-03-07T12:00:00.000Z"); // 13:00–14:00 local, just before the time off
    expect(thursday).not.toContain("2030-03-07T12:15:00.000Z");
    expect(thursday).toContain("2030-03-07T15:00:00.000Z"); // 16:00–17:00 local
  });

  it("lists only days with free slots, from today to the horizon", async () => {
    const days = await core.availability.findDays({ tenantId: salon.tenantId, serviceId: salon.cutId });
    expect(days[0]).toEqual({ date: "2030-03-04", slotCount: 22 }); // 60-min cut on a 15-min grid: 09:00–11:00 (9) + 13:00–16:00 (13)
    expect(days.map((d) => d.date)).not.toContain("2030-03-06"); // closed by override
    expect(days.map((d) => d.date)).not.toContain("2030-03-10"); // Sunday
    expect(days.at(-1)!.date <= "2030-05-03").toBe(true); // 60 days ahead
  });

  it("applies minimum notice relative to the injected clock", async () => {
    await db.prisma.tenant.update({ where: { id: salon.tenantId }, data: { minimumNoticeMinutes: 120 } });
    const monday = iso(await core.availability.findSlotsOnDay({ tenantId: salon.tenantId, serviceId: salon.cutId, date: "2030-03-04" }));
    expect(monday[0]).toBe("2030-03-04T09:00:00.000Z"); // now 07:00Z + 2 h
    await db.prisma.tenant.update({ where: { id: salon.tenantId }, data: { minimumNoticeMinutes: 0 } });
  });
});
