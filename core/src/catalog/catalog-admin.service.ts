import type { PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import { z } from "zod";
import { found, isUniqueViolation } from "../db/client.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import { toTenantView } from "./catalog.service.js";
import type { TenantView } from "./catalog.types.js";

const minute = z.number().int().min(0).max(1440);
const minuteRange = z.object({ startMinute: minute, endMinute: minute }).refine((r) => r.startMinute < r.endMinute, "start must be before end");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
/** ISO 4217 codes this runtime's ICU knows (Intl.NumberFormat alone accepts any three letters, e.g. "XYZ"). */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** Editable salon details and booking rules. */
export const salonSettingsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  timeZone: z.string().refine((zone) => DateTime.local().setZone(zone).isValid, "unknown IANA time zone"),
  currency: z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code, e.g. EUR").refine((c) => KNOWN_CURRENCIES.has(c), "unknown currency"),
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

/**
 * A salon's URL name as in /book/<slug> and /webhooks/<channel>/<slug>: 2-40 lower-case letters,
 * digits and hyphens, starting and ending with a letter or digit, e.g. "studio-nord".
 */
export const salonSlugSchema = z
  .string()
  .min(2, "2-40 characters")
  .max(40, "2-40 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "lower-case letters, digits and hyphens, starting and ending with a letter or digit, e.g. studio-nord");

/**
 * A new salon: name, slug and the regional settings, validated as `salonSettingsSchema` does
 * (IANA time zone, ISO 4217 currency, ISO 3166-1 country). `locale` is a BCP 47 tag, stored in
 * its canonical form ("de-de" becomes "de-DE"), "en" unless given, as for the demo salon.
 */
export const createSalonSchema = salonSettingsSchema.pick({ name: true, timeZone: true, currency: true, country: true }).extend({
  slug: salonSlugSchema,
  locale: salonSettingsSchema.shape.locale
    .refine((tag) => {
      try {
        return Intl.getCanonicalLocales(tag).length === 1;
      } catch {
        return false;
      }
    }, "a BCP 47 language tag, e.g. en or de-DE")
    .transform((tag) => Intl.getCanonicalLocales(tag)[0]!)
    .default("en"),
});
/** Input of `createSalon`. */
export type CreateSalonInput = z.input<typeof createSalonSchema>;

/** The booking rules a new salon starts with (the demo salon's): minutes, days ahead. Owners change them in Settings. */
export const NEW_SALON_RULES = {
  slotStepMinutes: 15,
  minimumNoticeMinutes: 60,
  maximumDaysAhead: 60,
  holdMinutes: 10,
  cancellationCutoffMinutes: 120,
} as const satisfies Partial<SalonSettings>;

/**
 * The transaction-level advisory lock every salon creation takes (`createSalon` and the demo seed,
 * core/src/demo/seed.ts), so a new salon and the first start's seed never interleave.
 */
export const SALON_CREATION_LOCK = 72616964;

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

  /**
   * Adds a salon with `NEW_SALON_RULES`, no services, staff or accounts yet. It is created after
   * every existing salon (its createdAt is later than theirs even when clocks disagree), so the
   * oldest salon, the one `CatalogService.getDefaultTenant` returns and the environment's
   * messenger credentials configure, stays the same. Throws `invalid_input` (with field issues;
   * nothing is written) and `conflict` with details `{ field: "slug", slug }` when the slug is taken.
   */
  async createSalon(input: CreateSalonInput): Promise<TenantView> {
    const data = parseInput(createSalonSchema, input, "salon");
    const taken = () => new DomainError("conflict", `The slug "${data.slug}" is already taken by another salon`, { field: "slug", slug: data.slug });
    try {
      return await this.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SALON_CREATION_LOCK})`;
        if (await tx.tenant.findUnique({ where: { slug: data.slug }, select: { id: true } })) throw taken();
        const [{ at }] = await tx.$queryRaw<[{ at: Date }]>`
          SELECT GREATEST(clock_timestamp(), (SELECT max("createdAt") FROM "Tenant") + interval '1 millisecond') AS at`;
        return toTenantView(await tx.tenant.create({ data: { ...data, ...NEW_SALON_RULES, createdAt: at } }));
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw taken();
      throw e;
    }
  }

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

