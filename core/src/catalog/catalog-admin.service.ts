import type { PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import { z } from "zod";
import { found } from "../db/client.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import { toTenantView } from "./catalog.service.js";
import type { TenantView } from "./catalog.types.js";

const minute = z.number().int().min(0).max(1440);
const minuteRange = z.object({ startMinute: minute, endMinute: minute }).refine((r) => r.startMinute < r.endMinute, "start must be before end");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

/** Editable salon details and booking rules. */
export const salonSettingsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  timeZone: z.string().refine((zone) => DateTime.local().setZone(zone).isValid, "unknown IANA time zone"),
  currency: z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code, e.g. EUR").refine((c) => {
    try {
      new Intl.NumberFormat("en", { style: "currency", currency: c });
      return true;
    } catch {
      return false;
    }
  }, "unknown currency"),
  locale: z.string().min(2).max(35),
  country: z.string().regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2, e.g. DK"),
  slotStepMinutes: z.number().int().min(5).max(240),
  minimumNoticeMinutes: z.number().int().min(0).max(60 * 24 * 14),
  maximumDaysAhead: z.number().int().min(1).max(366),
  holdMinutes: z.number().int().min(1).max(60),
  cancellationCutoffMinutes: z.number().int().min(0).max(60 * 24 * 14),
});
/** Input of `updateSalon`. */
export type SalonSettings = z.infer<typeof salonSettingsSchema>;

/** A service as staff edit it. Price in minor units; durations and buffers in minutes. */
export const serviceInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  category: z.string().trim().max(60).nullable().default(null),
  durationMinutes: z.number().int().min(5).max(12 * 60),
  priceMinor: z.number().int().min(0).max(100_000_000),
  bufferBeforeMinutes: z.number().int().min(0).max(240).default(0),
  bufferAfterMinutes: z.number().int().min(0).max(240).default(0),
  active: z.boolean().default(true),
  staffIds: z.array(z.uuid()).default([]),
});
/** Input of `saveService`. */
export type ServiceInput = z.input<typeof serviceInputSchema>;

/** A staff member's weekly schedule: per ISO weekday (1 = Monday) working ranges and breaks, minutes after local midnight. */
export const weeklyScheduleSchema = z
  .array(z.object({ weekday: z.number().int().min(1).max(7), work: z.array(minuteRange), breaks: z.array(minuteRange).default([]) }))
  .refine((days) => new Set(days.map((d) => d.weekday)).size === days.length, "each weekday at most once");
/** Input of `setWeeklySchedule`. */
export type WeeklySchedule = z.input<typeof weeklyScheduleSchema>;

/** Everything the settings page shows about one staff member. */
export interface StaffDetails {
  id: string;
  name: string;
  active: boolean;
  serviceIds: string[];
  weekly: { weekday: number; work: { startMinute: number; endMinute: number }[]; breaks: { startMinute: number; endMinute: number }[] }[];
  overrides: { date: string; ranges: { startMinute: number; endMinute: number }[] }[];
  timeOff: { id: string; startsAt: Date; endsAt: Date; reason: string | null }[];
}

/**
 * Salon setup for owners: salon details and booking rules, services, staff with their services,
 * weekly hours, breaks, date overrides and time off. Every write validates with zod
 * (`invalid_input` with field issues) and is one transaction; foreign ids give `not_found`.
 */
export class CatalogAdminService {
  constructor(private readonly db: PrismaClient) {}

  /** Updates salon details and booking rules. Throws `invalid_input`, `not_found`. */
  async updateSalon(tenantId: string, settings: SalonSettings): Promise<TenantView> {
    const data = parseInput(salonSettingsSchema, settings, "salon settings");
    found(await this.db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } }), "Salon");
    return toTenantView(await this.db.tenant.update({ where: { id: tenantId }, data }));
  }

  /** All services, inactive included, with the staff who perform them. */
  async listServicesForAdmin(tenantId: string) {
    return this.db.service.findMany({
      where: { tenantId },
      orderBy: [{ active: "desc" }, { sortOrder: "asc" }, { name: "asc" }],
      include: { staff: { select: { staffId: true } } },
    });
  }

  /** Creates (no id) or updates a service and who performs it. Throws `invalid_input`, `not_found`. */
  async saveService(tenantId: string, input: ServiceInput, serviceId?: string) {
    const data = parseInput(serviceInputSchema, input, "service");
    return this.db.$transaction(async (tx) => {
      await this.assertStaff(tx, tenantId, data.staffIds);
      const { staffIds, ...fields } = data;
      let id = serviceId;
      if (id) {
        const updated = await tx.service.updateMany({ where: { id, tenantId }, data: fields });
        if (updated.count === 0) throw new DomainError("not_found", "Service was not found");
        await tx.staffService.deleteMany({ where: { tenantId, serviceId: id } });
      } else {
        id = (await tx.service.create({ data: { tenantId, ...fields } })).id;
      }
      await tx.staffService.createMany({ data: staffIds.map((staffId) => ({ tenantId, staffId, serviceId: id! })) });
      return tx.service.findUniqueOrThrow({ where: { id }, include: { staff: { select: { staffId: true } } } });
    });
  }

  /** Every staff member with services, hours, overrides (from today) and time off (not yet over). */
  async listStaffForAdmin(tenantId: string, now: Date): Promise<StaffDetails[]> {
    const staff = await this.db.staff.findMany({
      where: { tenantId },
      orderBy: [{ active: "desc" }, { name: "asc" }],
      include: {
        services: { select: { serviceId: true } },
        weeklyHours: true,
        dateOverrides: { where: { date: { gte: new Date(now.toISOString().slice(0, 10)) } }, orderBy: { date: "asc" } },
        timeOff: { where: { endsAt: { gt: now } }, orderBy: { startsAt: "asc" } },
      },
    });
    return staff.map((s) => {
      const weekdays = [...new Set(s.weeklyHours.map((h) => h.weekday))].sort();
      return {
        id: s.id,
        name: s.name,
        active: s.active,
        serviceIds: s.services.map((x) => x.serviceId),
        weekly: weekdays.map((weekday) => {
          const of = (kind: "work" | "break") =>
            s.weeklyHours
              .filter((h) => h.weekday === weekday && h.kind === kind)
              .map(({ startMinute, endMinute }) => ({ startMinute, endMinute }))
              .sort((a, b) => a.startMinute - b.startMinute);
          return { weekday, work: of("work"), breaks: of("break") };
        }),
        overrides: s.dateOverrides.map((o) => ({ date: o.date.toISOString().slice(0, 10), ranges: z.array(minuteRange).parse(o.ranges) })),
        timeOff: s.timeOff.map((t) => ({ id: t.id, startsAt: t.startsAt, endsAt: t.endsAt, reason: t.reason })),
      };
    });
  }

  /** Creates (no id) or renames/activates a staff member and sets their services. Throws `invalid_input`, `not_found`. */
  async saveStaff(tenantId: string, input: { name: string; active?: boolean; serviceIds?: string[] }, staffId?: string) {
    const data = parseInput(
      z.object({ name: z.string().trim().min(1).max(100), active: z.boolean().default(true), serviceIds: z.array(z.uuid()).default([]) }),
      input,
      "staff member",
    );
    return this.db.$transaction(async (tx) => {
      const services = await tx.service.count({ where: { tenantId, id: { in: data.serviceIds } } });
      if (services !== data.serviceIds.length) throw new DomainError("not_found", "A service was not found");
      let id = staffId;
      if (id) {
        const updated = await tx.staff.updateMany({ where: { id, tenantId }, data: { name: data.name, active: data.active } });
        if (updated.count === 0) throw new DomainError("not_found", "Staff member was not found");
        await tx.staffService.deleteMany({ where: { tenantId, staffId: id } });
      } else {
        id = (await tx.staff.create({ data: { tenantId, name: data.name, active: data.active } })).id;
      }
      await tx.staffService.createMany({ data: data.serviceIds.map((serviceId) => ({ tenantId, staffId: id!, serviceId })) });
      return { id, name: data.name, active: data.active };
    });
  }

  /**
   * Replaces a staff member's weekly hours and breaks. Breaks must lie inside working ranges and
   * ranges of one kind must not overlap. Throws `invalid_input`, `not_found`.
   */
  async setWeeklySchedule(tenantId: string, staffId: string, schedule: WeeklySchedule): Promise<void> {
    const days = parseInput(weeklyScheduleSchema, schedule, "weekly schedule");
    for (const day of days) {
      for (const ranges of [day.work, day.breaks]) {
        const sorted = [...ranges].sort((a, b) => a.startMinute - b.startMinute);
        for (let i = 1; i < sorted.length; i++) {
          if (sorted[i]!.startMinute < sorted[i - 1]!.endMinute) throw new DomainError("invalid_input", `Overlapping ranges on weekday ${day.weekday}`);
        }
      }
      for (const b of day.breaks) {
        if (!day.work.some((w) => w.startMinute <= b.startMinute && b.endMinute <= w.endMinute)) {
          throw new DomainError("invalid_input", `A break on weekday ${day.weekday} lies outside the working hours`);
        }
      }
    }
    await this.db.$transaction(async (tx) => {
      await this.assertStaff(tx, tenantId, [staffId]);
      await tx.weeklyHours.deleteMany({ where: { tenantId, staffId } });
      await tx.weeklyHours.createMany({
        data: days.flatMap((d) => [
          ...d.work.map((r) => ({ tenantId, staffId, kind: "work" as const, weekday: d.weekday, ...r })),
          ...d.breaks.map((r) => ({ tenantId, staffId, kind: "break" as const, weekday: d.weekday, ...r })),
        ]),
      });
    });
  }

  /** Sets the hours of one local date (replacing weekly hours and breaks); [] closes the day; null removes the override. */
  async setDateOverride(tenantId: string, staffId: string, date: string, ranges: { startMinute: number; endMinute: number }[] | null): Promise<void> {
    const day = parseInput(isoDate, date, "date");
    const parsed = ranges === null ? null : parseInput(z.array(minuteRange), ranges, "ranges");
    await this.db.$transaction(async (tx) => {
      await this.assertStaff(tx, tenantId, [staffId]);
      const when = new Date(`${day}T00:00:00Z`);
      if (parsed === null) {
        await tx.dateOverride.deleteMany({ where: { tenantId, staffId, date: when } });
        return;
      }
      await tx.dateOverride.upsert({
        where: { staffId_date: { staffId, date: when } },
        create: { tenantId, staffId, date: when, ranges: parsed },
        update: { ranges: parsed },
      });
    });
  }

  /** Records time off (UTC instants). Throws `invalid_input` when it does not end after it starts, `not_found`. */
  async addTimeOff(tenantId: string, staffId: string, input: { startsAt: Date; endsAt: Date; reason?: string }) {
    const data = parseInput(
      z.object({ startsAt: z.date(), endsAt: z.date(), reason: z.string().max(200).optional() }).refine((t) => t.startsAt < t.endsAt, "time off must end after it starts"),
      input,
      "time off",
    );
    return this.db.$transaction(async (tx) => {
      await this.assertStaff(tx, tenantId, [staffId]);
      return tx.timeOff.create({ data: { tenantId, staffId, startsAt: data.startsAt, endsAt: data.endsAt, reason: data.reason ?? null } });
    });
  }

  /** Removes time off. Throws `not_found`. */
  async removeTimeOff(tenantId: string, timeOffId: string): Promise<void> {
    const removed = await this.db.timeOff.deleteMany({ where: { tenantId, id: timeOffId } });
    if (removed.count === 0) throw new DomainError("not_found", "Time off was not found");
  }

  private async assertStaff(tx: Pick<PrismaClient, "staff">, tenantId: string, staffIds: string[]): Promise<void> {
    const count = await tx.staff.count({ where: { tenantId, id: { in: staffIds } } });
    if (count !== new Set(staffIds).size) throw new DomainError("not_found", "A staff member was not found");
  }
}

