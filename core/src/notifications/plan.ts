/**
 * When each message of the sequence goes: pure functions of the booking, the salon's settings, its
 * IANA zone and `now`. Every wall-clock rule (quiet hours, the day before, 10:00 on a birthday) is
 * computed in the zone with luxon, so DST changes move instants, not local times.
 */
import { DateTime } from "luxon";
import type { ClientKind } from "./notification.types.js";
import type { NotificationSettings } from "./settings.js";

/** Quiet hours in minutes after local midnight; start > end wraps midnight; start = end: none. */
export interface QuietHours {
  startMinute: number;
  endMinute: number;
}

/** A message the plan wants written: its kind, when it may go, its idempotency key. */
export interface PlannedMessage {
  kind: ClientKind;
  notBefore: Date;
  idempotencyKey: string;
}

const local = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone });
const minuteOf = (dt: DateTime) => dt.hour * 60 + dt.minute;
const atMinute = (day: DateTime, minute: number) =>
  day.startOf("day").set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 });

/** True when `instant` falls inside the quiet hours in `zone`. */
export function inQuietHours(instant: Date, quiet: QuietHours, zone: string): boolean {
  const { startMinute: start, endMinute: end } = quiet;
  if (start === end) return false;
  const m = minuteOf(local(instant, zone));
  return start > end ? m >= start || m < end : m >= start && m < end;
}

/**
 * The end of the quiet period that contains `instant` (the next `endMinute`, local, DST-correct),
 * or `instant` itself when it is not quiet.
 */
export function quietHoursEnd(instant: Date, quiet: QuietHours, zone: string): Date {
  if (!inQuietHours(instant, quiet, zone)) return instant;
  const dt = local(instant, zone);
  const wrapsToTomorrow = quiet.startMinute > quiet.endMinute && minuteOf(dt) >= quiet.startMinute;
  return atMinute(wrapsToTomorrow ? dt.plus({ days: 1 }) : dt, quiet.endMinute).toJSDate();
}

/**
 * A planned instant moved out of quiet hours: to their end, unless `deadline` (the appointment's
 * start) is at or before that end; then the appointment is sooner and the planned time is kept.
 */
export function outsideQuietHours(planned: Date, quiet: QuietHours, zone: string, deadline?: Date): Date {
  const end = quietHoursEnd(planned, quiet, zone);
  if (end.getTime() === planned.getTime()) return planned;
  return deadline && deadline.getTime() <= end.getTime() ? planned : end;
}

/**
 * `minutes` before `instant`: whole days as calendar days in `zone` (same wall-clock time), the
 * rest as exact minutes. A local time that does not exist (a spring-forward gap) moves forward.
 */
export function minutesBefore(instant: Date, minutes: number, zone: string): Date {
  const days = Math.floor(minutes / 1440);
  return local(instant, zone)
    .minus({ days })
    .minus({ minutes: minutes - days * 1440 })
    .toJSDate();
}

/** The idempotency key of a reminder: the booking and its start, so a moved booking gets new ones. */
export function reminderKey(kind: "reminder_24h" | "reminder_1h", bookingId: string, startsAt: Date): string {
  return `${kind}:${bookingId}:${startsAt.toISOString()}`;
}

/**
 * The reminders of a booking: 24 h and 1 h before (per `settings.reminderOffsets`), each only when
 * switched on, not already past at `now` and before the start; moved out of quiet hours unless the
 * appointment comes first. A 24 h reminder that would not go before the 1 h one is dropped. A
 * booking made 3 hours ahead therefore gets only the 1 h reminder.
 */
export function planReminders(input: {
  booking: { id: string; startsAt: Date };
  settings: NotificationSettings;
  zone: string;
  now: Date;
}): PlannedMessage[] {
  const { booking, settings, zone, now } = input;
  const plan = (kind: "reminder_24h" | "reminder_1h"): PlannedMessage | null => {
    if (!settings.enabled[kind]) return null;
    const at = minutesBefore(booking.startsAt, settings.reminderOffsets[kind], zone);
    if (at < now || at >= booking.startsAt) return null;
    const notBefore = outsideQuietHours(at, settings.quietHours, zone, booking.startsAt);
    return { kind, notBefore, idempotencyKey: reminderKey(kind, booking.id, booking.startsAt) };
  };
  const early = plan("reminder_24h");
  const late = plan("reminder_1h");
  const planned: PlannedMessage[] = [];
  if (early && (!late || early.notBefore < late.notBefore)) planned.push(early);
  if (late) planned.push(late);
  return planned;
}

/** When a notice caused by a change (confirmation, move, cancellation) goes: now, out of quiet hours unless the appointment is sooner. */
export function noticeTime(input: { now: Date; startsAt: Date; settings: NotificationSettings; zone: string }): Date {
  return outsideQuietHours(input.now, input.settings.quietHours, input.zone, input.startsAt > input.now ? input.startsAt : undefined);
}

/** When the thank-you goes: `thankYouDelayMinutes` after the checkout, out of quiet hours. */
export function thankYouTime(input: { completedAt: Date; settings: NotificationSettings; zone: string }): Date {
  const at = new Date(input.completedAt.getTime() + input.settings.thankYouDelayMinutes * 60_000);
  return outsideQuietHours(at, input.settings.quietHours, input.zone);
}

/**
 * When today's birthday greeting or re-activation nudge goes: today (local) at `marketingMinute`,
 * or now when that has passed, out of quiet hours; null when that would no longer be today.
 */
export function marketingTime(input: { now: Date; settings: NotificationSettings; zone: string }): Date | null {
  const today = local(input.now, input.zone);
  const planned = atMinute(today, input.settings.marketingMinute).toJSDate();
  const at = outsideQuietHours(planned < input.now ? input.now : planned, input.settings.quietHours, input.zone);
  return local(at, input.zone).toISODate() === today.toISODate() ? at : null;
}
