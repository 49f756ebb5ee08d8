import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";

/** What `createTestSalon` made: ids to use in tests. */
export interface TestSalon {
  tenantId: string;
  slug: string;
  staffIds: string[];
  /** 60-min service performed by every staff member, no buffers. */
  cutId: string;
  /** 30-min service with 10 min buffer after, performed by the first staff member only. */
  trimId: string;
}

/**
 * A salon for tests: `staffCount` staff (named S1, S2, ...) working Mon–Sat 09:00–17:00 with a
 * 12:00–13:00 break, in `timeZone` (default Europe/Copenhagen); 15-min step, no minimum notice
 * unless given, 60 days ahead, 10-min holds, 120-min client cut-off.
 */
export async function createTestSalon(
  prisma: PrismaClient,
  options: { slug?: string; staffCount?: number; timeZone?: string; minimumNoticeMinutes?: number } = {},
): Promise<TestSalon> {
  const tenant = await prisma.tenant.create({
    data: {
      slug: options.slug ?? `salon-${randomUUID().slice(0, 12)}`,
      name: "Test Salon",
      timeZone: options.timeZone ?? "Europe/Copenhagen",
      currency: "DKK",
      country: "DK",
      minimumNoticeMinutes: options.minimumNoticeMinutes ?? 0,
    },
  });
  const staffIds: string[] = [];
  for (let i = 1; i <= (options.staffCount ?? 2); i++) {
    const staff = await prisma.staff.create({ data: { tenantId: tenant.id, name: `S${i}` } });
    staffIds.push(staff.id);
    for (let weekday = 1; weekday <= 6; weekday++) {
      await prisma.weeklyHours.createMany({
        data: [
          { tenantId: tenant.id, staffId: staff.id, kind: "work", weekday, startMinute: 9 * 60, endMinute: 17 * 60 },
          { tenantId: tenant.id, staffId: staff.id, kind: "break", weekday, startMinute: 12 * 60, endMinute: 13 * 60 },
        ],
      });
    }
  }
  const cut = await prisma.service.create({ data: { tenantId: tenant.id, name: "Cut", durationMinutes: 60, priceMinor: 300_00 } });
  const trim = await prisma.service.create({
    data: { tenantId: tenant.id, name: "Trim", durationMinutes: 30, priceMinor: 150_00, bufferAfterMinutes: 10 },
  });
  await prisma.staffService.createMany({ data: staffIds.map((staffId) => ({ tenantId: tenant.id, staffId, serviceId: cut.id })) });
  await prisma.staffService.create({ data: { tenantId: tenant.id, staffId: staffIds[0]!, serviceId: trim.id } });
  return { tenantId: tenant.id, slug: tenant.slug, staffIds, cutId: cut.id, trimId: trim.id };
}

/**
 * Phone numbers handed out by `createTestClient`: a random start, then one after another, so the
 * clients of one test never share a number (random numbers collided about once in a thousand runs
 * of the 50-client race test).
 */
let nextTestPhone = Math.floor(Math.random() * 1e6);

/** Creates a client with a verified phone (a Danish mobile number, unique within this process); returns its id. */
export async function createTestClient(prisma: PrismaClient, tenantId: string, name = "Test Client"): Promise<string> {
  const phone = `+4520${String(nextTestPhone++ % 1e6).padStart(6, "0")}`;
  const client = await prisma.client.create({ data: { tenantId, name, phone, phoneVerified: true } });
  return client.id;
}
