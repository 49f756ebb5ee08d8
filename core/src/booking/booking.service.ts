import type { Prisma, PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import { z } from "zod";
import { AvailabilityService, type AvailableSlot, type BookingPolicy } from "../availability/availability.service.js";
import { CatalogService } from "../catalog/catalog.service.js";
import type { Clock } from "../clock.js";
import { found, isOverlapError } from "../db/client.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import type { BookingChange, BookingChangeHook, BookingStatus, BookingView, SlotTakenDetails } from "./booking.types.js";
import { pickFairly, type StaffLoad } from "./fairness.js";

const holdSchema = z.object({
  tenantId: z.uuid(),
  serviceId: z.uuid(),
  staffId: z.uuid().nullable(),
  startsAt: z.date(),
  channel: z.string().min(1).max(32),
  clientId: z.uuid().nullish(),
  policy: z.enum(["client", "staff"]).default("client"),
});
const confirmSchema = z.object({ tenantId: z.uuid(), bookingId: z.uuid(), clientId: z.uuid(), actor: z.string().min(1) });
const rescheduleSchema = z.object({
  tenantId: z.uuid(),
  bookingId: z.uuid(),
  startsAt: z.date(),
  actor: z.string().min(1),
  clientId: z.uuid().optional(),
  /** Staff may move a booking to another staff member's column. */
  staffId: z.uuid().optional(),
  policy: z.enum(["client", "staff"]).default("client"),
});
const statusSchema = z.object({
  tenantId: z.uuid(),
  bookingId: z.uuid(),
  status: z.enum(["arrived", "completed", "no_show", "confirmed"]),
  actor: z.string().min(1),
});
const calendarSchema = z.object({
  tenantId: z.uuid(),
  from: z.date(),
  to: z.date(),
  staffIds: z.array(z.uuid()).optional(),
});
const cancelSchema = z.object({
  tenantId: z.uuid(),
  bookingId: z.uuid(),
  actor: z.string().min(1),
  clientId: z.uuid().optional(),
  reason: z.string().max(500).optional(),
});
const refSchema = z.object({ tenantId: z.uuid(), bookingId: z.uuid() });

const bookingInclude = {
  service: { select: { name: true } },
  staff: { select: { name: true } },
  client: { select: { name: true, phone: true } },
} as const;
type BookingRow = Prisma.BookingGetPayload<{ include: typeof bookingInclude }>;

/** Statuses a client or staff member may still move or cancel. */
const CHANGEABLE: BookingStatus[] = ["confirmed", "arrived"];

/** Which status changes staff may make: from → allowed targets. "confirmed" from no_show undoes a mistaken no-show. */
const STATUS_TRANSITIONS: Partial<Record<BookingStatus, BookingStatus[]>> = {
  confirmed: ["arrived", "completed", "no_show"],
  arrived: ["completed", "confirmed"],
  no_show: ["confirmed"],
};

/**
 * Holds, confirms, reschedules and cancels bookings. The exclusion constraint `Booking_no_overlap`
 * is the last word on double booking: every write here is one transaction, and a constraint
 * violation becomes DomainError `slot_taken` carrying the nearest free alternatives. Each change
 * appends a BookingEvent in the same transaction.
 */
export class BookingService {
  private readonly catalog: CatalogService;
  private readonly hooks: BookingChangeHook[] = [];

  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly availability: AvailabilityService,
  ) {
    this.catalog = new CatalogService(db);
  }

  /**
   * Registers a hook called inside the transaction of every confirm, reschedule, cancel and
   * status change (see BookingChangeHook). Used to write outbox rows atomically with the change.
   */
  onChange(hook: BookingChangeHook): void {
    this.hooks.push(hook);
  }

  /**
   * Runs the registered hooks for a change made in `tx`. Public for other core services that
   * change a booking in their own transaction (a checkout completes its booking).
   */
  async emitChange(tx: Prisma.TransactionClient, change: BookingChange): Promise<void> {
    for (const hook of this.hooks) await hook(tx, change);
  }

  /**
   * Holds a slot for `tenant.holdMinutes` while the client confirms. With `staffId` null, picks a
   * free staff member fairly (fewest appointments that day, then least recently booked).
   * Throws `slot_taken` (details: SlotTakenDetails), `slot_unavailable` (not a bookable start:
   * off the grid, too soon, beyond the horizon, outside working hours), `not_found`, `invalid_input`.
   */
  async hold(input: {
    tenantId: string;
    serviceId: string;
    staffId: string | null;
    startsAt: Date;
    channel: string;
    clientId?: string | null;
    /** "staff" books at the desk: no minimum notice, a one-year horizon. Default "client". */
    policy?: BookingPolicy;
  }): Promise<BookingView> {
    const req = parseInput(holdSchema, input, "hold");
    const tenant = await this.catalog.getTenant(req.tenantId);
    const service = await this.catalog.getService(req.tenantId, req.serviceId);
    const request = { tenantId: req.tenantId, serviceId: req.serviceId, staffId: req.staffId, policy: req.policy };
    const { staffIds, withinRules } = await this.availability.staffFreeAt({ ...request, startsAt: req.startsAt });
    if (!withinRules) {
      throw new DomainError("slot_unavailable", `${req.startsAt.toISOString()} is not a bookable time for this service`);
    }
    const candidates = await this.orderFairly(req.tenantId, staffIds, req.startsAt, tenant.timeZone);
    const startsAt = req.startsAt;
    const endsAt = addMinutes(startsAt, service.durationMinutes);
    for (const staffId of candidates) {
      const now = this.clock.now();
      try {
        const row = await this.db.$transaction(async (tx) => {
          const blockedFrom = addMinutes(startsAt, -service.bufferBeforeMinutes);
          const blockedUntil = addMinutes(endsAt, service.bufferAfterMinutes);
          await expireLapsedHolds(tx, req.tenantId, staffId, blockedFrom, blockedUntil, now);
          const created = await tx.booking.create({
            data: {
              tenantId: req.tenantId,
              staffId,
              serviceId: service.id,
              clientId: req.clientId ?? null,
              status: "held",
              startsAt,
              endsAt,
              blockedFrom,
              blockedUntil,
              bufferBeforeMinutes: service.bufferBeforeMinutes,
              bufferAfterMinutes: service.bufferAfterMinutes,
              priceMinor: service.priceMinor,
              currency: tenant.currency,
              channel: req.channel,
              holdExpiresAt: addMinutes(now, tenant.holdMinutes),
            },
            include: bookingInclude,
          });
          await appendEvent(tx, created, "held", req.clientId ? `client:${req.clientId}` : `channel:${req.channel}`, {
            toStarts: startsAt,
          });
          return created;
        });
        return toBookingView(row);
      } catch (e) {
        if (!isOverlapError(e)) throw e;
        // Someone took this staff member's time since we looked: try the next free one.
      }
    }
    throw await this.slotTaken({ ...request, around: startsAt });
  }

  /**
   * Turns a hold into a confirmed booking for `clientId`. Idempotent for an already confirmed
   * booking of the same client. If the hold lapsed and was given away, throws `slot_taken` with
   * alternatives; otherwise a lapsed hold whose time is still free is confirmed.
   * Throws `not_found`, `booking_not_changeable`, `invalid_input`.
   */
  async confirm(input: { tenantId: string; bookingId: string; clientId: string; actor: string }): Promise<BookingView> {
    const req = parseInput(confirmSchema, input, "confirmation");
    const row = await this.db.$transaction(async (tx) => {
      const updated = await tx.booking.updateManyAndReturn({
        where: { id: req.bookingId, tenantId: req.tenantId, status: "held", OR: [{ clientId: null }, { clientId: req.clientId }] },
        data: { status: "confirmed", clientId: req.clientId, holdExpiresAt: null },
      });
      const booking = updated[0];
      if (!booking) return null;
      await appendEvent(tx, booking, "confirmed", req.actor, { toStarts: booking.startsAt });
      await this.emitChange(tx, { type: "confirmed", booking, actor: req.actor });
      return tx.booking.findUniqueOrThrow({ where: { id: booking.id }, include: bookingInclude });
    });
    if (row) return toBookingView(row);

    const existing = await this.db.booking.findFirst({ where: { id: req.bookingId, tenantId: req.tenantId }, include: bookingInclude });
    if (!existing || (existing.clientId !== null && existing.clientId !== req.clientId)) {
      throw new DomainError("not_found", "Booking was not found");
    }
    if (existing.status === "confirmed") return toBookingView(existing);
    if (existing.status === "expired") {
      // The hold lapsed and someone needed the time: take it again if it is still free.
      const held = await this.hold({
        tenantId: req.tenantId,
        serviceId: existing.serviceId,
        staffId: existing.staffId,
        startsAt: existing.startsAt,
        channel: existing.channel,
        clientId: req.clientId,
      }).catch(async (e) => {
        if (e instanceof DomainError && e.code === "slot_taken") {
          throw await this.slotTaken({ tenantId: req.tenantId, serviceId: existing.serviceId, staffId: null, around: existing.startsAt });
        }
        throw e;
      });
      return this.confirm({ ...req, bookingId: held.id });
    }
    throw new DomainError("booking_not_changeable", `This booking is ${existing.status} and cannot be confirmed`);
  }

  /**
   * Books in one step (hold + confirm), for staff and tests. Same errors as `hold` and `confirm`.
   */
  async book(input: {
    tenantId: string;
    serviceId: string;
    staffId: string | null;
    startsAt: Date;
    channel: string;
    clientId: string;
    actor: string;
    policy?: BookingPolicy;
  }): Promise<BookingView> {
    const held = await this.hold(input);
    return this.confirm({ tenantId: input.tenantId, bookingId: held.id, clientId: input.clientId, actor: input.actor });
  }

  /**
   * Moves a booking to `startsAt` with the same staff member, atomically: the new time is taken
   * or nothing changes. With `clientId`, only that client's booking, and not later than the
   * salon's cancellation cut-off before the current start. Throws `slot_taken` (alternatives),
   * `slot_unavailable`, `booking_not_changeable`, `cancellation_too_late`, `not_found`, `invalid_input`.
   */
  async reschedule(input: {
    tenantId: string;
    bookingId: string;
    startsAt: Date;
    actor: string;
    clientId?: string;
    /** Move to this staff member (staff only; must perform the service). Default: the same. */
    staffId?: string;
    policy?: BookingPolicy;
  }): Promise<BookingView> {
    const req = parseInput(rescheduleSchema, input, "reschedule");
    if (req.clientId !== undefined && req.staffId !== undefined) {
      throw new DomainError("forbidden", "Clients cannot choose another staff member when rescheduling");
    }
    const tenant = await this.catalog.getTenant(req.tenantId);
    const current = await this.loadChangeable(req.tenantId, req.bookingId, req.clientId, tenant.cancellationCutoffMinutes);
    const staffId = req.staffId ?? current.staffId;
    const request = { tenantId: req.tenantId, serviceId: current.serviceId, staffId, excludeBookingId: current.id, policy: req.policy };
    if (current.startsAt.getTime() === req.startsAt.getTime() && staffId === current.staffId) return toBookingView(current);
    const { staffIds, withinRules } = await this.availability.staffFreeAt({ ...request, startsAt: req.startsAt });
    if (!withinRules) throw new DomainError("slot_unavailable", `${req.startsAt.toISOString()} is not a bookable time for this service`);
    if (!staffIds.includes(staffId)) throw await this.slotTaken({ ...request, around: req.startsAt });

    const durationMs = current.endsAt.getTime() - current.startsAt.getTime();
    const startsAt = req.startsAt;
    const endsAt = new Date(startsAt.getTime() + durationMs);
    const blockedFrom = addMinutes(startsAt, -current.bufferBeforeMinutes);
    const blockedUntil = addMinutes(endsAt, current.bufferAfterMinutes);
    try {
      const row = await this.db.$transaction(async (tx) => {
        await expireLapsedHolds(tx, req.tenantId, staffId, blockedFrom, blockedUntil, this.clock.now());
        const moved = await tx.booking.updateManyAndReturn({
          where: { id: current.id, tenantId: req.tenantId, status: { in: CHANGEABLE }, startsAt: current.startsAt, staffId: current.staffId },
          data: { startsAt, endsAt, blockedFrom, blockedUntil, staffId },
        });
        const booking = moved[0];
        if (!booking) throw new DomainError("conflict", "The booking changed meanwhile; look at it again");
        await appendEvent(tx, booking, "rescheduled", req.actor, {
          fromStarts: current.startsAt,
          toStarts: startsAt,
          data: staffId === current.staffId ? undefined : { fromStaffId: current.staffId, toStaffId: staffId },
        });
        await this.emitChange(tx, { type: "rescheduled", booking, previousStartsAt: current.startsAt, actor: req.actor });
        return tx.booking.findUniqueOrThrow({ where: { id: booking.id }, include: bookingInclude });
      });
      return toBookingView(row);
    } catch (e) {
      if (isOverlapError(e)) throw await this.slotTaken({ ...request, around: startsAt });
      throw e;
    }
  }

  /**
   * Cancels a booking. With `clientId`, only that client's booking and not later than the
   * salon's cancellation cut-off. Cancelling a cancelled booking returns it unchanged.
   * Throws `booking_not_changeable`, `cancellation_too_late`, `not_found`, `invalid_input`.
   */
  async cancel(input: { tenantId: string; bookingId: string; actor: string; clientId?: string; reason?: string }): Promise<BookingView> {
    const req = parseInput(cancelSchema, input, "cancellation");
    const existing = await this.db.booking.findFirst({ where: { id: req.bookingId, tenantId: req.tenantId }, include: bookingInclude });
    if (existing?.status === "cancelled" && (!req.clientId || existing.clientId === req.clientId)) return toBookingView(existing);
    const tenant = await this.catalog.getTenant(req.tenantId);
    const current = await this.loadChangeable(req.tenantId, req.bookingId, req.clientId, tenant.cancellationCutoffMinutes);
    const row = await this.db.$transaction(async (tx) => {
      const changed = await tx.booking.updateManyAndReturn({
        where: { id: current.id, tenantId: req.tenantId, status: { in: CHANGEABLE } },
        data: { status: "cancelled" },
      });
      const booking = changed[0];
      if (!booking) throw new DomainError("conflict", "The booking changed meanwhile; look at it again");
      await appendEvent(tx, booking, "cancelled", req.actor, { fromStarts: booking.startsAt, data: req.reason ? { reason: req.reason } : undefined });
      await this.emitChange(tx, { type: "cancelled", booking, actor: req.actor });
      return tx.booking.findUniqueOrThrow({ where: { id: booking.id }, include: bookingInclude });
    });
    return toBookingView(row);
  }

  /**
   * Staff mark a booking arrived, completed or no-show (or undo to confirmed). Allowed moves:
   * confirmed → arrived | completed | no_show; arrived → completed | confirmed; no_show → confirmed.
   * Setting the current status again is a no-op. Throws `booking_not_changeable`, `not_found`, `invalid_input`.
   */
  async setStatus(input: { tenantId: string; bookingId: string; status: "arrived" | "completed" | "no_show" | "confirmed"; actor: string }): Promise<BookingView> {
    const req = parseInput(statusSchema, input, "status change");
    const current = toBookingView(found(await this.db.booking.findFirst({ where: { id: req.bookingId, tenantId: req.tenantId }, include: bookingInclude }), "Booking"));
    if (current.status === req.status) return current;
    if (!(STATUS_TRANSITIONS[current.status] ?? []).includes(req.status)) {
      throw new DomainError("booking_not_changeable", `A ${current.status} booking cannot become ${req.status}`, { status: current.status });
    }
    const row = await this.db.$transaction(async (tx) => {
      const changed = await tx.booking.updateManyAndReturn({
        where: { id: current.id, tenantId: req.tenantId, status: current.status },
        data: { status: req.status },
      });
      const booking = changed[0];
      if (!booking) throw new DomainError("conflict", "The booking changed meanwhile; look at it again");
      await appendEvent(tx, booking, req.status, req.actor, { data: { from: current.status } });
      await this.emitChange(tx, { type: req.status === "confirmed" ? "reconfirmed" : req.status, booking, actor: req.actor });
      return tx.booking.findUniqueOrThrow({ where: { id: booking.id }, include: bookingInclude });
    });
    return toBookingView(row);
  }

  /**
   * Bookings that overlap [from, to) for the calendar: every status but expired and lapsed
   * holds, soonest first, optionally for some staff only.
   */
  async listForCalendar(input: { tenantId: string; from: Date; to: Date; staffIds?: string[] }): Promise<BookingView[]> {
    const req = parseInput(calendarSchema, input, "calendar range");
    const rows = await this.db.booking.findMany({
      where: {
        tenantId: req.tenantId,
        startsAt: { lt: req.to },
        endsAt: { gt: req.from },
        ...(req.staffIds ? { staffId: { in: req.staffIds } } : {}),
        OR: [{ status: { notIn: ["expired", "held"] } }, { status: "held", holdExpiresAt: { gt: this.clock.now() } }],
      },
      include: bookingInclude,
      orderBy: { startsAt: "asc" },
    });
    return rows.map(toBookingView);
  }

  /** Gives a hold's time back at once (the client went back or left). Idempotent; unknown ids are ignored. */
  async releaseHold(input: { tenantId: string; bookingId: string }): Promise<void> {
    const req = parseInput(refSchema, input, "hold release");
    await this.db.$transaction(async (tx) => {
      const released = await tx.booking.updateManyAndReturn({
        where: { id: req.bookingId, tenantId: req.tenantId, status: "held" },
        data: { status: "expired", holdExpiresAt: null },
      });
      for (const b of released) await appendEvent(tx, b, "hold_released", "system", {});
    });
  }

  /** A client's upcoming bookings (confirmed or arrived, not yet ended), soonest first. */
  async listUpcomingForClient(input: { tenantId: string; clientId: string }): Promise<BookingView[]> {
    const req = parseInput(z.object({ tenantId: z.uuid(), clientId: z.uuid() }), input, "client");
    const rows = await this.db.booking.findMany({
      where: { tenantId: req.tenantId, clientId: req.clientId, status: { in: CHANGEABLE }, endsAt: { gt: this.clock.now() } },
      include: bookingInclude,
      orderBy: { startsAt: "asc" },
    });
    return rows.map(toBookingView);
  }

  /** One booking of the salon. Throws `not_found`. */
  async getBooking(input: { tenantId: string; bookingId: string }): Promise<BookingView> {
    const parsed = refSchema.safeParse(input);
    const row = parsed.success
      ? await this.db.booking.findFirst({ where: { id: parsed.data.bookingId, tenantId: parsed.data.tenantId }, include: bookingInclude })
      : null;
    return toBookingView(found(row, "Booking"));
  }

  /** The booking's history, oldest first. */
  async history(input: { tenantId: string; bookingId: string }) {
    const req = parseInput(refSchema, input, "booking");
    return this.db.bookingEvent.findMany({ where: { tenantId: req.tenantId, bookingId: req.bookingId }, orderBy: { createdAt: "asc" } });
  }

  private async loadChangeable(tenantId: string, bookingId: string, clientId: string | undefined, cutoffMinutes: number): Promise<BookingRow> {
    const row = await this.db.booking.findFirst({ where: { id: bookingId, tenantId }, include: bookingInclude });
    if (!row || (clientId !== undefined && row.clientId !== clientId)) throw new DomainError("not_found", "Booking was not found");
    const now = this.clock.now();
    if (!CHANGEABLE.includes(row.status) || row.endsAt <= now) {
      throw new DomainError("booking_not_changeable", `This booking is ${row.status === "confirmed" ? "over" : row.status} and cannot be changed`, {
        status: row.status,
      });
    }
    if (clientId !== undefined && row.startsAt.getTime() - now.getTime() < cutoffMinutes * 60_000) {
      throw new DomainError("cancellation_too_late", `Changes by clients close ${cutoffMinutes} minutes before the appointment`, {
        cutoffMinutes,
      });
    }
    return row;
  }

  private async orderFairly(tenantId: string, staffIds: string[], startsAt: Date, zone: string): Promise<string[]> {
    if (staffIds.length <= 1) return staffIds;
    const day = DateTime.fromJSDate(startsAt, { zone }).startOf("day");
    const [today, recent] = await Promise.all([
      this.db.booking.groupBy({
        by: ["staffId"],
        where: {
          tenantId,
          staffId: { in: staffIds },
          status: { in: ["confirmed", "arrived", "completed", "held"] },
          startsAt: { gte: day.toJSDate(), lt: day.plus({ days: 1 }).toJSDate() },
        },
        _count: { _all: true },
      }),
      this.db.booking.groupBy({
        by: ["staffId"],
        where: { tenantId, staffId: { in: staffIds }, status: { notIn: ["expired"] } },
        _max: { createdAt: true },
      }),
    ]);
    const loads: StaffLoad[] = staffIds.map((staffId) => ({
      staffId,
      appointmentsThatDay: today.find((r) => r.staffId === staffId)?._count._all ?? 0,
      lastBookedAt: recent.find((r) => r.staffId === staffId)?._max.createdAt ?? null,
    }));
    return pickFairly(loads);
  }

  private async slotTaken(request: { tenantId: string; serviceId: string; staffId: string | null; excludeBookingId?: string; around: Date }) {
    const alternatives: AvailableSlot[] = await this.availability.nearestSlots(request);
    return new DomainError<SlotTakenDetails>("slot_taken", "That time was just taken", { alternatives });
  }
}

async function expireLapsedHolds(
  tx: Prisma.TransactionClient,
  tenantId: string,
  staffId: string,
  from: Date,
  until: Date,
  now: Date,
): Promise<void> {
  const lapsed = await tx.booking.updateManyAndReturn({
    where: { tenantId, staffId, status: "held", holdExpiresAt: { lte: now }, blockedFrom: { lt: until }, blockedUntil: { gt: from } },
    data: { status: "expired", holdExpiresAt: null },
  });
  for (const b of lapsed) await appendEvent(tx, b, "expired", "system", {});
}

async function appendEvent(
  tx: Prisma.TransactionClient,
  booking: { id: string; tenantId: string },
  type: string,
  actor: string,
  extra: { fromStarts?: Date; toStarts?: Date; data?: Prisma.InputJsonValue | undefined },
): Promise<void> {
  await tx.bookingEvent.create({
    data: {
      tenantId: booking.tenantId,
      bookingId: booking.id,
      type,
      actor,
      fromStarts: extra.fromStarts ?? null,
      toStarts: extra.toStarts ?? null,
      ...(extra.data === undefined ? {} : { data: extra.data }),
    },
  });
}

function addMinutes(d: Date, minutes: number): Date {
  return new Date(d.getTime() + minutes * 60_000);
}

/** Maps a booking row (with service and staff names) to its view. */
export function toBookingView(b: BookingRow): BookingView {
  return {
    id: b.id,
    tenantId: b.tenantId,
    status: b.status,
    startsAt: b.startsAt,
    endsAt: b.endsAt,
    serviceId: b.serviceId,
    serviceName: b.service.name,
    staffId: b.staffId,
    staffName: b.staff.name,
    clientId: b.clientId,
    clientName: b.client?.name ?? null,
    clientPhone: b.client?.phone ?? null,
    channel: b.channel,
    priceMinor: b.priceMinor,
    currency: b.currency,
    holdExpiresAt: b.holdExpiresAt,
  };
}
