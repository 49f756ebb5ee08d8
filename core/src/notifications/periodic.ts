/**
 * The periodic parts of the sequence, run by the job scheduler: birthday greetings and re-activation
 * nudges (planned for each salon's local day; idempotency keys make every re-run harmless), and
 * no-show detection.
 */
import { Prisma, type PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import type { BookingService } from "../booking/booking.service.js";
import type { Clock } from "../clock.js";
import { isDomainError } from "../errors.js";
import type { ClientMessageData, NewOutboxMessage } from "./notification.types.js";
import { writeMessages } from "./outbox.repository.js";
import { marketingTime } from "./plan.js";
import type { NotificationSettings } from "./settings.js";

/**
 * A re-activation goes on the local day `reactivationDays` after the last visit's date, or up to
 * this many days later (a missed day catches up; clients gone for long are not swept up when a
 * salon turns the nudge on).
 */
export const REACTIVATION_WINDOW_DAYS = 7;
/** No-show detection looks at bookings that started at most this long ago, minutes. */
const NO_SHOW_LOOKBACK_MINUTES = 24 * 60;

/** How many messages `planPeriodic` wrote, per kind (0 on a re-run the same day). */
export interface PeriodicReport {
  birthdays: number;
  reactivations: number;
}

interface SalonRef {
  id: string;
  name: string;
  timeZone: string;
  locale: string;
}

interface ClientRow {
  id: string;
  name: string;
  locale: string | null;
}

/**
 * Plans today's (salon-local) birthday greetings and re-activation nudges of every salon (or one):
 * for clients with marketing consent who did not send STOP. Each goes at `marketingMinute` local
 * (or at once when that has passed, outside quiet hours); a salon whose day is nearly over plans
 * nothing more today. Keys: `birthday:<client>:<year>`, `reactivation:<client>:<last visit>`.
 */
export async function planPeriodic(
  db: PrismaClient,
  clock: Clock,
  settingsOf: (tenantIds: string[]) => Promise<Map<string, NotificationSettings>>,
  tenantId?: string,
): Promise<PeriodicReport> {
  const now = clock.now();
  const salons: SalonRef[] = await db.tenant.findMany({
    where: tenantId ? { id: tenantId } : {},
    select: { id: true, name: true, timeZone: true, locale: true },
  });
  const settings = await settingsOf(salons.map((s) => s.id));
  const report: PeriodicReport = { birthdays: 0, reactivations: 0 };
  for (const salon of salons) {
    const s = settings.get(salon.id);
    if (!s || (!s.enabled.birthday && !s.enabled.reactivation)) continue;
    const at = marketingTime({ now, settings: s, zone: salon.timeZone });
    if (!at) continue;
    const data = (c: ClientRow, extra: Partial<ClientMessageData> = {}): Record<string, unknown> => ({
      salonName: salon.name,
      zone: salon.timeZone,
      salonLocale: salon.locale,
      clientLocale: c.locale,
      clientName: c.name,
      ...extra,
    });
    if (s.enabled.birthday) {
      const rows: NewOutboxMessage[] = [];
      const today = DateTime.fromJSDate(now, { zone: salon.timeZone });
      for (const c of await birthdayClients(db, salon.id, today)) {
        rows.push({ tenantId: salon.id, kind: "birthday", category: "marketing", clientId: c.id, data: data(c), idempotencyKey: `birthday:${c.id}:${today.year}`, notBefore: at });
      }
      report.birthdays += await writeAll(db, rows, now);
    }
    if (s.enabled.reactivation) {
      // Visits on a local date at least `reactivationDays` before today: they ended before this instant.
      const until = DateTime.fromJSDate(now, { zone: salon.timeZone }).startOf("day").minus({ days: s.reactivationDays - 1 });
      const from = until.minus({ days: REACTIVATION_WINDOW_DAYS });
      const lapsed = await lapsedClients(db, salon.id, from.toJSDate(), until.toJSDate(), now);
      const rows: NewOutboxMessage[] = lapsed.map((c) => ({
          tenantId: salon.id,
          kind: "reactivation",
          category: "marketing",
          clientId: c.id,
          data: data(c, { lastVisitAt: c.lastVisitAt.toISOString() }),
          idempotencyKey: `reactivation:${c.id}:${c.lastBookingId}`,
          notBefore: at,
      }));
      report.reactivations += await writeAll(db, rows, now);
    }
  }
  return report;
}

async function writeAll(db: PrismaClient, rows: NewOutboxMessage[], now: Date): Promise<number> {
  let written = 0;
  for (let i = 0; i < rows.length; i += 500) written += await writeMessages(db, rows.slice(i, i + 500), now);
  return written;
}

/** Clients whose birthday is `today` (29 February ones on 28 February in other years). */
function birthdayClients(db: PrismaClient, tenantId: string, today: DateTime): Promise<ClientRow[]> {
  const leapDay = today.month === 2 && today.day === 28 && !today.isInLeapYear;
  return db.$queryRaw<ClientRow[]>`
    SELECT id, name, locale FROM "Client"
    WHERE "tenantId" = ${tenantId}::uuid AND "mergedIntoId" IS NULL AND "marketingConsent" AND NOT "remindersOptOut"
      AND birthday IS NOT NULL
      AND ((EXTRACT(MONTH FROM birthday) = ${today.month} AND EXTRACT(DAY FROM birthday) = ${today.day})
        ${leapDay ? Prisma.sql`OR (EXTRACT(MONTH FROM birthday) = 2 AND EXTRACT(DAY FROM birthday) = 29)` : Prisma.empty})`;
}

/** Clients whose last completed visit ended in [from, until) and who have nothing booked ahead. */
function lapsedClients(db: PrismaClient, tenantId: string, from: Date, until: Date, now: Date) {
  return db.$queryRaw<(ClientRow & { lastBookingId: string; lastVisitAt: Date })[]>`
    SELECT c.id, c.name, c.locale, last."bookingId" AS "lastBookingId", last."endsAt" AS "lastVisitAt"
    FROM "Client" c
    JOIN LATERAL (
      SELECT b.id AS "bookingId", b."endsAt" FROM "Booking" b
      WHERE b."tenantId" = c."tenantId" AND b."clientId" = c.id AND b.status = 'completed'
      ORDER BY b."endsAt" DESC LIMIT 1
    ) last ON true
    WHERE c."tenantId" = ${tenantId}::uuid AND c."mergedIntoId" IS NULL AND c."marketingConsent" AND NOT c."remindersOptOut"
      AND last."endsAt" >= ${from}::timestamptz AND last."endsAt" < ${until}::timestamptz
      AND NOT EXISTS (
        SELECT 1 FROM "Booking" f WHERE f."tenantId" = c."tenantId" AND f."clientId" = c.id
          AND f.status IN ('confirmed', 'arrived') AND f."endsAt" > ${now}::timestamptz
      )`;
}

/**
 * Marks confirmed bookings no-show once `noShow.graceMinutes` have passed since their start and
 * staff have not marked the client arrived (salons with detection on; bookings that started
 * within the last day). Goes through BookingService.setStatus with actor "system", so the change
 * is in the booking's history and its hooks run. A booking staff changed meanwhile is skipped.
 * Returns the ids marked.
 */
export async function markNoShows(
  db: PrismaClient,
  clock: Clock,
  bookings: BookingService,
  settingsOf: (tenantIds: string[]) => Promise<Map<string, NotificationSettings>>,
): Promise<string[]> {
  const now = clock.now();
  const candidates = await db.booking.findMany({
    where: { status: "confirmed", startsAt: { lte: now, gt: new Date(now.getTime() - NO_SHOW_LOOKBACK_MINUTES * 60_000) } },
    select: { id: true, tenantId: true, startsAt: true },
    orderBy: { startsAt: "asc" },
  });
  if (candidates.length === 0) return [];
  const settings = await settingsOf([...new Set(candidates.map((b) => b.tenantId))]);
  const marked: string[] = [];
  for (const b of candidates) {
    const s = settings.get(b.tenantId);
    if (!s?.noShow.enabled || b.startsAt.getTime() + s.noShow.graceMinutes * 60_000 > now.getTime()) continue;
    try {
      await bookings.setStatus({ tenantId: b.tenantId, bookingId: b.id, status: "no_show", actor: "system" });
      marked.push(b.id);
    } catch (e) {
      if (isDomainError(e, "conflict") || isDomainError(e, "booking_not_changeable")) continue;
      throw e;
    }
  }
  return marked;
}
