import type { PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import { z } from "zod";
import type { TenantView } from "../catalog/catalog.types.js";
import { CatalogService } from "../catalog/catalog.service.js";
import type { Clock } from "../clock.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import { computeSlots, type MinuteRange, type StaffSchedule } from "./slots.js";

/** A free slot: the appointment would run [startsAt, endsAt); `staffIds` are the staff free then. */
export interface AvailableSlot {
  startsAt: Date;
  endsAt: Date;
  staffIds: string[];
}

/** A local date (YYYY-MM-DD in the salon's zone) and how many free slots it has. */
export interface DayAvailability {
  date: string;
  slotCount: number;
}

/** Which slots to look for: a service, one staff member or any (null), and a booking to ignore. */
export interface SlotRequest {
  tenantId: string;
  serviceId: string;
  /** One staff member, or null/undefined for "any staff". */
  staffId?: string | null;
  /** Ignore this booking's own time (a reschedule may move within or next to it). */
  excludeBookingId?: string;
  /**
   * Whose rules apply. "client" (default): the salon's minimum notice and booking horizon.
   * "staff": no minimum notice and a one-year horizon (a walk-in booked at the desk), but working
   * hours, breaks, time off and other bookings still apply.
   */
  policy?: BookingPolicy;
}

/** Whose booking rules apply: a client booking themselves, or staff at the desk. */
export type BookingPolicy = "client" | "staff";

/** How far ahead staff may book, in days. */
const STAFF_HORIZON_DAYS = 366;

const requestSchema = z.object({
  tenantId: z.uuid(),
  serviceId: z.uuid(),
  staffId: z.uuid().nullish(),
  excludeBookingId: z.uuid().optional(),
  policy: z.enum(["client", "staff"]).default("client"),
});
const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
const rangesSchema = z.array(z.object({ startMinute: z.number().int().min(0).max(1440), endMinute: z.number().int().min(0).max(1440) }));

/** Booking statuses that occupy a staff member's time (a lapsed hold does not, see `loadStaff`). */
export const OCCUPYING_STATUSES = ["held", "confirmed", "arrived", "completed", "no_show"] as const;

/**
 * Loads schedules and bookings from the database and asks the pure engine (`computeSlots`) for
 * free slots. Booking rules come from the salon: slot step, minimum notice, maximum days ahead
 * (local days; today is day 0, so the last bookable date is today + maximumDaysAhead).
 */
export class AvailabilityService {
  private readonly catalog: CatalogService;

  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {
    this.catalog = new CatalogService(db);
  }

  /** Local dates with at least one free slot, ascending, from today to the booking horizon. Throws `not_found`, `invalid_input`. */
  async findDays(request: SlotRequest): Promise<DayAvailability[]> {
    const { tenant, slots } = await this.slotsBetween(request, null);
    const counts = new Map<string, number>();
    for (const slot of slots) {
      const date = DateTime.fromJSDate(slot.startsAt, { zone: tenant.timeZone }).toISODate()!;
      counts.set(date, (counts.get(date) ?? 0) + 1);
    }
    return [...counts].map(([date, slotCount]) => ({ date, slotCount }));
  }

  /** Free slots on one local date (YYYY-MM-DD), ascending. Throws `not_found`, `invalid_input`. */
  async findSlotsOnDay(request: SlotRequest & { date: string }): Promise<AvailableSlot[]> {
    const date = parseInput(dateSchema, request.date, "date");
    return (await this.slotsBetween(request, date)).slots;
  }

  /**
   * Up to `count` free slots nearest to `around` (same staff choice), in time order: what a
   * client is offered when the slot they wanted was taken. Looks at that local day and the
   * following week.
   */
  async nearestSlots(request: SlotRequest & { around: Date; count?: number }): Promise<AvailableSlot[]> {
    const tenant = await this.catalog.getTenant(request.tenantId);
    const aroundDay = DateTime.fromJSDate(request.around, { zone: tenant.timeZone }).startOf("day");
    const { slots } = await this.slotsBetween(request, null, {
      from: aroundDay.toJSDate(),
      to: aroundDay.plus({ days: 8 }).toJSDate(),
    });
    const at = request.around.getTime();
    return slots
      .filter((s) => s.startsAt.getTime() !== at)
      .sort((a, b) => Math.abs(a.startsAt.getTime() - at) - Math.abs(b.startsAt.getTime() - at))
      .slice(0, request.count ?? 3)
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  }

  /**
   * The staff free for exactly this start (empty when none), and whether the start obeys the
   * salon's rules at all (grid, notice, horizon, working hours of someone who does the service).
   */
  async staffFreeAt(request: SlotRequest & { startsAt: Date }): Promise<{ staffIds: string[]; withinRules: boolean }> {
    const tenant = await this.catalog.getTenant(request.tenantId);
    const day = DateTime.fromJSDate(request.startsAt, { zone: tenant.timeZone }).toISODate()!;
    const { slots, openSlots } = await this.slotsBetween(request, day, undefined, true);
    const at = request.startsAt.getTime();
    const slot = slots.find((s) => s.startsAt.getTime() === at);
    const withinRules = openSlots!.some((s) => s.startsAt.getTime() === at);
    return { staffIds: slot?.staffIds ?? [], withinRules };
  }

  private async slotsBetween(
    request: SlotRequest,
    date: string | null,
    range?: { from: Date; to: Date },
    withOpenSlots = false,
  ): Promise<{ tenant: TenantView; slots: AvailableSlot[]; openSlots?: AvailableSlot[] }> {
    const req = parseInput(requestSchema, request, "slot request");
    const tenant = await this.catalog.getTenant(req.tenantId);
    const service = await this.catalog.getService(req.tenantId, req.serviceId);
    const now = this.clock.now();
    const today = DateTime.fromJSDate(now, { zone: tenant.timeZone }).startOf("day");
    const staffPolicy = req.policy === "staff";
    const horizon = today.plus({ days: (staffPolicy ? STAFF_HORIZON_DAYS : tenant.maximumDaysAhead) + 1 });
    let from = today;
    let to = horizon;
    if (date !== null) {
      const day = DateTime.fromISO(date, { zone: tenant.timeZone });
      if (!day.isValid) throw new DomainError("invalid_input", `Invalid date ${date}`);
      from = day.startOf("day");
      to = DateTime.min(day.plus({ days: 1 }).startOf("day"), horizon);
    }
    if (range) {
      from = DateTime.max(from, DateTime.fromJSDate(range.from, { zone: tenant.timeZone }));
      to = DateTime.min(to, DateTime.fromJSDate(range.to, { zone: tenant.timeZone }));
    }
    if (to <= from) return { tenant, slots: [], openSlots: [] };

    const staffIds = await this.staffForRequest(req.tenantId, req.serviceId, req.staffId ?? null);
    const staff = await this.loadStaff(req.tenantId, staffIds, from.toJSDate(), to.toJSDate(), now, req.excludeBookingId);
    const query = {
      timeZone: tenant.timeZone,
      from: from.toMillis(),
      to: to.toMillis(),
      now: now.getTime(),
      minimumNoticeMinutes: staffPolicy ? 0 : tenant.minimumNoticeMinutes,
      durationMinutes: service.durationMinutes,
      stepMinutes: tenant.slotStepMinutes,
      bufferBeforeMinutes: service.bufferBeforeMinutes,
      bufferAfterMinutes: service.bufferAfterMinutes,
    };
    const toAvailable = (s: { start: number; staffIds: string[] }): AvailableSlot => ({
      startsAt: new Date(s.start),
      endsAt: new Date(s.start + service.durationMinutes * 60_000),
      staffIds: s.staffIds,
    });
    const slots = computeSlots({ ...query, staff }).map(toAvailable);
    if (!withOpenSlots) return { tenant, slots };
    const open = computeSlots({ ...query, staff: staff.map((s) => ({ ...s, bookings: [] })) }).map(toAvailable);
    return { tenant, slots, openSlots: open };
  }

  private async staffForRequest(tenantId: string, serviceId: string, staffId: string | null): Promise<string[]> {
    const rows = await this.db.staffService.findMany({
      where: { tenantId, serviceId, staff: { active: true }, ...(staffId ? { staffId } : {}) },
      select: { staffId: true },
    });
    if (staffId && rows.length === 0) throw new DomainError("not_found", "This staff member does not perform this service");
    return rows.map((r) => r.staffId);
  }

  private async loadStaff(
    tenantId: string,
    staffIds: string[],
    from: Date,
    to: Date,
    now: Date,
    excludeBookingId: string | undefined,
  ): Promise<StaffSchedule[]> {
    if (staffIds.length === 0) return [];
    const margin = 24 * 60 * 60_000; // bookings and time off just outside the window still block by their buffers
    const fromWide = new Date(from.getTime() - margin);
    const toWide = new Date(to.getTime() + margin);
    const [hours, overrides, timeOff, bookings] = await Promise.all([
      this.db.weeklyHours.findMany({ where: { tenantId, staffId: { in: staffIds } } }),
      this.db.dateOverride.findMany({ where: { tenantId, staffId: { in: staffIds }, date: { gte: fromWide, lte: toWide } } }),
      this.db.timeOff.findMany({ where: { tenantId, staffId: { in: staffIds }, startsAt: { lt: toWide }, endsAt: { gt: fromWide } } }),
      this.db.booking.findMany({
        where: {
          tenantId,
          staffId: { in: staffIds },
          status: { in: [...OCCUPYING_STATUSES] },
          blockedFrom: { lt: toWide },
          blockedUntil: { gt: fromWide },
          ...(excludeBookingId ? { id: { not: excludeBookingId } } : {}),
          // A hold that lapsed no longer blocks (whoever takes the time marks it expired).
          OR: [{ status: { not: "held" } }, { holdExpiresAt: { gt: now } }],
        },
        select: { staffId: true, startsAt: true, endsAt: true, bufferBeforeMinutes: true, bufferAfterMinutes: true },
      }),
    ]);
    return staffIds.map((staffId) => {
      const mine = hours.filter((h) => h.staffId === staffId);
      const overridesByDate: Record<string, MinuteRange[]> = {};
      for (const o of overrides.filter((o) => o.staffId === staffId)) {
        overridesByDate[o.date.toISOString().slice(0, 10)] = rangesSchema.parse(o.ranges);
      }
      return {
        staffId,
        weekly: mine.filter((h) => h.kind === "work").map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
        breaks: mine.filter((h) => h.kind === "break").map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
        overrides: overridesByDate,
        timeOff: timeOff.filter((t) => t.staffId === staffId).map((t) => ({ start: t.startsAt.getTime(), end: t.endsAt.getTime() })),
        bookings: bookings
          .filter((b) => b.staffId === staffId)
          .map((b) => ({
            start: b.startsAt.getTime(),
            end: b.endsAt.getTime(),
            bufferBeforeMinutes: b.bufferBeforeMinutes,
            bufferAfterMinutes: b.bufferAfterMinutes,
          })),
      };
    });
  }
}
