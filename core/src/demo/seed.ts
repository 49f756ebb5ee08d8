import type { PrismaClient } from "@prisma/client";
import { toTenantView } from "../catalog/catalog.service.js";
import { SALON_CREATION_LOCK } from "../catalog/catalog-admin.service.js";
import type { TenantView } from "../catalog/catalog.types.js";

const hm = (h: number, m = 0) => h * 60 + m;

/** The demo salon's services: minutes, minor units (DKK øre), buffers, who performs them. */
const SERVICES = [
  { name: "Women's haircut", category: "Hair", durationMinutes: 60, priceMinor: 450_00, bufferAfterMinutes: 10, staff: ["Anna", "Clara"] },
  { name: "Men's haircut", category: "Hair", durationMinutes: 30, priceMinor: 300_00, bufferAfterMinutes: 5, staff: ["Anna", "Ben", "Clara"] },
  { name: "Colour", category: "Hair", durationMinutes: 90, priceMinor: 900_00, bufferBeforeMinutes: 5, bufferAfterMinutes: 15, staff: ["Clara"] },
  { name: "Beard trim", category: "Grooming", durationMinutes: 20, priceMinor: 150_00, bufferAfterMinutes: 5, staff: ["Ben"] },
];

/** Weekly hours per staff member: ISO weekday → [start, end] minutes, with a lunch break on weekdays. */
const HOURS: Record<string, { days: number[]; start: number; end: number; breakAt?: [number, number] }[]> = {
  Anna: [
    { days: [1, 2, 3, 4, 5], start: hm(9), end: hm(17), breakAt: [hm(12, 30), hm(13)] },
    { days: [6], start: hm(10), end: hm(15) },
  ],
  Ben: [
    { days: [2, 3, 4, 5], start: hm(11), end: hm(19), breakAt: [hm(15), hm(15, 30)] },
    { days: [6], start: hm(9), end: hm(14) },
  ],
  Clara: [{ days: [1, 2, 3, 4, 5, 6], start: hm(9), end: hm(18), breakAt: [hm(13), hm(14)] }],
};

/**
 * Creates the demo salon (slug "demo", Europe/Copenhagen, DKK) with four services and three staff
 * with working hours and breaks, in one transaction, but only when the database has no salon at
 * all. Returns the new salon, or null when salons exist already (nothing is written then).
 */
export async function seedDemoSalon(prisma: PrismaClient): Promise<TenantView | null> {
  return prisma.$transaction(async (tx) => {
    // Serialise concurrent first starts: only one of them may seed.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SALON_CREATION_LOCK})`;
    if ((await tx.tenant.count()) > 0) return null;
    const tenant = await tx.tenant.create({
      data: {
        slug: "demo",
        name: "Chairside Demo Salon",
        timeZone: "Europe/Copenhagen",
        currency: "DKK",
        locale: "en",
        country: "DK",
        slotStepMinutes: 15,
        minimumNoticeMinutes: 60,
        maximumDaysAhead: 60,
        holdMinutes: 10,
        cancellationCutoffMinutes: 120,
      },
    });
    const staffIds = new Map<string, string>();
    for (const name of Object.keys(HOURS)) {
      const staff = await tx.staff.create({ data: { tenantId: tenant.id, name } });
      staffIds.set(name, staff.id);
      for (const rule of HOURS[name]!) {
        for (const weekday of rule.days) {
          await tx.weeklyHours.create({
            data: { tenantId: tenant.id, staffId: staff.id, kind: "work", weekday, startMinute: rule.start, endMinute: rule.end },
          });
          if (rule.breakAt) {
            await tx.weeklyHours.create({
              data: { tenantId: tenant.id, staffId: staff.id, kind: "break", weekday, startMinute: rule.breakAt[0], endMinute: rule.breakAt[1] },
            });
          }
        }
      }
    }
    for (const [index, s] of SERVICES.entries()) {
      const service = await tx.service.create({
        data: {
          tenantId: tenant.id,
          name: s.name,
          category: s.category,
          durationMinutes: s.durationMinutes,
          priceMinor: s.priceMinor,
          bufferBeforeMinutes: s.bufferBeforeMinutes ?? 0,
          bufferAfterMinutes: s.bufferAfterMinutes,
          sortOrder: index,
        },
      });
      await tx.staffService.createMany({
        data: s.staff.map((name) => ({ tenantId: tenant.id, staffId: staffIds.get(name)!, serviceId: service.id })),
      });
    }
    return toTenantView(tenant);
  });
}
