/**
 * Wall-clock helpers for the settings forms, safe in the browser (Intl only): "HH:MM" ↔ minutes
 * after local midnight, and a salon-local date and time ↔ a UTC instant in an IANA zone.
 */

import { instantOf, isLocalDate, wallAt, wallClockOf } from '$lib/zone';

const HH_MM = /^(\d{1,2}):(\d{2})$/;
const DAY_MINUTES = 24 * 60;

/** Minutes after local midnight as "HH:MM": 540 → "09:00", 1440 → "24:00" (the end of the day). */
export function formatMinutes(minutes: number): string {
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/**
 * "HH:MM" (or "H:MM") → minutes after local midnight, 0 to 1440 ("24:00" is the end of the day).
 * Returns null for anything else ("9", "25:00", "09:60", "").
 */
export function parseTimeOfDay(text: string): number | null {
	const match = HH_MM.exec(text.trim());
	if (!match) return null;
	const h = Number(match[1]);
	const m = Number(match[2]);
	if (m > 59 || h > 24) return null;
	const minutes = h * 60 + m;
	return minutes > DAY_MINUTES ? null : minutes;
}

/**
 * The instant at which the salon's clock in `zone` shows `date` ("YYYY-MM-DD") and `minutes`
 * after midnight, by the same rules as core's availability engine (see $lib/zone): a time skipped
 * by a daylight-saving change (02:30 on a spring-forward night) becomes the instant the gap ends
 * (03:00); a time that occurs twice (autumn) is the earlier of the two. Returns null for a
 * malformed date; throws RangeError for an unknown zone.
 */
export function localToInstant(date: string, minutes: number, zone: string): Date | null {
	if (!isLocalDate(date)) return null;
	return instantOf(wallAt(date, minutes), zone);
}

/** The salon-local date ("YYYY-MM-DD") and minutes after midnight of an instant in `zone`. */
export function instantToLocal(instant: Date | number | string, zone: string): { date: string; minutes: number } {
	const wall = wallClockOf(instant, zone);
	return { date: wall.slice(0, 10), minutes: Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16)) };
}

/** A `datetime-local` input value ("YYYY-MM-DDTHH:MM") for an instant as the salon's clock shows it. */
export function toDateTimeLocal(instant: Date | number | string, zone: string): string {
	const { date, minutes } = instantToLocal(instant, zone);
	return `${date}T${formatMinutes(minutes)}`;
}

/**
 * A `datetime-local` value ("YYYY-MM-DDTHH:MM", seconds ignored) read on the salon's clock in
 * `zone` → UTC instant; null when malformed.
 */
export function fromDateTimeLocal(value: string, zone: string): Date | null {
	const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value.trim());
	if (!match) return null;
	const minutes = parseTimeOfDay(match[2]!);
	if (minutes === null || minutes >= DAY_MINUTES) return null;
	return localToInstant(match[1]!, minutes, zone);
}

/** ISO weekdays 1 (Monday) to 7 (Sunday). */
export const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** The name of an ISO weekday (1 = Monday) in `locale`, e.g. weekdayName(1, "en") → "Monday". */
export function weekdayName(isoWeekday: number, locale: string, width: 'long' | 'short' = 'long'): string {
	// 2024-01-01 was a Monday.
	const day = new Date(Date.UTC(2024, 0, isoWeekday));
	return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' }).format(day);
}
