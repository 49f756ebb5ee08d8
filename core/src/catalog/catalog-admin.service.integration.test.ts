import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { CatalogAdminService } from "./catalog-admin.service.js";

describe("CatalogAdminService (real PostgreSQL)", () => {
  let db: TestDatabase;
  let admin: CatalogAdminService;
  let core: Core;
  let salon: TestSalon;
  const now = new Date("2030-03-04T07:00:00Z");

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new CatalogAdminService(db.prisma);
    core = createCore(db.prisma, new FixedClock(now));
    salon = await createTestSalon(db.prisma, { staffCount: 1 });
  });
  afterAll(async () => db.drop());

  const settings = {
    name: "Salon Nord", timeZone: "Asia/Tbilisi", currency: "GEL", locale: "ka", country: "GE",
    slotStepMinutes: 30, minimumNoticeMinutes: 0, maximumDaysAhead: 30, holdMinutes: 5, cancellationCutoffMinutes: 60,
  };

  it("updates salon rules and refuses unknown zones and currencies, changing nothing", async () => {
    await expect(admin.updateSalon(salon.tenantId, { ...settings, timeZone: "Mars/Base" })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(admin.updateSalon(salon.tenantId, { ...settings, currency: "XYZ1" })).rejects.toMatchObject({ code: "invalid_input" });
    expect((await core.catalog.getTenant(salon.tenantId)).timeZone).toBe("Europe/Copenhagen");
    const updated = await admin.updateSalon(salon.tenantId, settings);
    expect(updated).toMatchObject({ name: "Salon Nord", timeZone: "Asia/Tbilisi", slotStepMinutes: 30 });
  });

  it("creates a service and assigns staff; the service is then bookable with them", async () => {
    const created = await admin.saveService(salon.tenantId, { name: "Manicure", durationMinutes: 45, priceMinor: 6000, staffIds: salon.staffIds });
    expect(created.staff.map((s) => s.staffId)).toEqual(salon.staffIds);
    expect((await core.catalog.listStaffForService(salon.tenantId, created.id)).map((s) => s.id)).toEqual(salon.staffIds);
    await expect(admin.saveService(salon.tenantId, { name: "", durationMinutes: 0, priceMinor: -1 })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("replaces weekly hours, validates breaks, and applies overrides and time off to availability", async () => {
    const staffId = salon.staffIds[0]!;
    await expect(
      admin.setWeeklySchedule(salon.tenantId, staffId, [{ weekday: 1, work: [{ startMinute: 600, endMinute: 720 }], breaks: [{ startMinute: 700, endMinute: 800 }] }]),
    ).rejects.toMatchObject({ code: "invalid_input" });
    // Tbilisi is UTC+4 all year: Monday 10:00–12:00 local = 06:00–08:00Z; cut is 60 min, step 30.
    await admin.setWeeklySchedule(salon.tenantId, staffId, [{ weekday: 1, work: [{ startMinute: 600, endMinute: 720 }] }]);
    const monday = await core.availability.findSlotsOnDay({ tenantId: salon.tenantId, serviceId: salon.cutId, date: "2030-03-04", policy: "staff" });
    expect(monday.map((s) => s.startsAt.toISOString())).toEqual(["2030-03-04T07:00:00.000Z"]); // 11:00 local; 10:00 and 10:30 are before now (07:00Z = 11:00 local)
    await admin.setDateOverride(salon.tenantId, staffId, "2030-03-11", []);
    expect(await core.availability.findSlotsOnDay({ tenantId: salon.tenantId, serviceId: salon.cutId, date: "2030-03-11" })).toEqual([]);
    const off = await admin.addTimeOff(salon.tenantId, staffId, { startsAt: new Date("2030-03-18T06:00:00Z"), endsAt: new Date("2030-03-18T07:00:00Z") });
    const with18 = await core.availability.findSlotsOnDay({ tenantId: salon.tenantId, serviceId: salon.cutId, date: "2030-03-18" });
    expect(with18.map((s) => s.startsAt.toISOString())).toEqual(["2030-03-18T07:00:00.000Z"]);
    const [details] = await admin.listStaffForAdmin(salon.tenantId, now);
    expect(details).toMatchObject({ weekly: [{ weekday: 1, work: [{ startMinute: 600, endMinute: 720 }], breaks: [] }], overrides: [{ date: "2030-03-11", ranges: [] }] });
    await admin.removeTimeOff(salon.tenantId, off.id);
    await expect(admin.removeTimeOff(salon.tenantId, off.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("does not touch another salon's staff", async () => {
    const other = await createTestSalon(db.prisma);
    await expect(admin.setWeeklySchedule(salon.tenantId, other.staffIds[0]!, [])).rejects.toMatchObject({ code: "not_found" });
    await expect(admin.saveStaff(salon.tenantId, { name: "X" }, other.staffIds[0]!)).rejects.toMatchObject({ code: "not_found" });
  });
});
