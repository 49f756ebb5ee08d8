/**
 * Wall-clock time in the salon's IANA zone, independent of the zone the browser or server runs in.
 * Pure (Intl only): safe in the browser and on the server.
 *
 * The calendar library draws "floating" times (ISO strings without an offset) exactly as given, so
 * the admin converts every instant to the salon's wall clock for display (`wallClockOf`) and every
 * wall-clock time the calendar reports back to an instant (`instantOf`) before it reaches core.
 *
 * DST rules are the ones core's availability engine uses (core/src/availability/date-ranges.ts):
 * a wall time in a spring-forward gap becomes the instant the gap ends; a wall time that occurs
 * twice (autumn fold) becomes its first occurrence (the earlier, pre-transition offset).
 */

/** A local date, "YYYY-MM-DD". */
export type LocalDate = string;
/** A wall-clock date and time without an offset, "YYYY-MM-DDTHH:mm:ss". */
export type WallTime = string;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
	let f = formatters.get(zone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		});
		formatters.set(zone, f);
	}
	return f;
}

/** The wall clock of `instant` in `zone` as epoch milliseconds of the same fields read as UTC. */
function wallMsOf(instant: number, zone: string): number {
	const parts: Record<string, number> = {};
	for (const p of partsFormatter(zone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
	return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
}

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

/** Epoch ms (read as UTC fields) → "YYYY-MM-DDTHH:mm:ss". */
function wallString(wallMs: number): WallTime {
	return new Date(wallMs).toISOString().slice(0, 19);
}

/** Parses a wall time ("YYYY-MM-DDTHH:mm" or with ":ss") to epoch ms of the same fields read as UTC; NaN when malformed. */
export function parseWall(wall: string): number {
	const m = WALL_TIME.exec(wall);
	if (!m) return Number.NaN;
	const [, y, mo, d, h, mi, s] = m;
	const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
	// Reject overflowing fields (2030-02-31, 25:00) rather than rolling them over.
	return wallString(ms).slice(0, 16) === `${y}-${mo}-${d}T${h}:${mi}` ? ms : Number.NaN;
}

/** True for a real calendar date "YYYY-MM-DD". */
export function isLocalDate(date: string): boolean {
	const m = LOCAL_DATE.exec(date);
	return !!m && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === date;
}

/** The salon's wall clock at `instant`, e.g. wallClockOf("2030-03-04T08:00:00Z", "Europe/Copenhagen") → "2030-03-04T09:00:00". */
export function wallClockOf(instant: Date | number | string, zone: string): WallTime {
	return wallString(wallMsOf(new Date(instant).getTime(), zone));
}

/** Minutes `zone` is ahead of UTC at `instant` (Copenhagen in winter: 60). */
export function offsetMinutesAt(instant: Date | number, zone: string): number {
	const t = new Date(instant).getTime();
	const whole = Math.floor(t / 1000) * 1000; // Intl drops milliseconds
	return Math.round((wallMsOf(whole, zone) - whole) / MINUTE_MS);
}

/** The offset as the calendar library's `timeZone` option takes it, e.g. "+01:00", "-05:30". */
export function offsetString(instant: Date | number, zone: string): string {
	const minutes = offsetMinutesAt(instant, zone);
	const abs = Math.abs(minutes);
	return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The instant the salon's clock shows `wall` ("YYYY-MM-DDTHH:mm[:ss]") in `zone`. In a DST gap:
 * the instant the gap ends; in a fold: the first occurrence. Throws RangeError for a malformed wall time.
 */
export function instantOf(wall: string, zone: string): Date {
	const wallMs = parseWall(wall);
	if (Number.isNaN(wallMs)) throw new RangeError(`Not a wall-clock time: ${wall}`);
	// The offsets in force a day either side cover any single transition near `wall`.
	const offsets = new Set([offsetMinutesAt(wallMs - DAY_MS, zone), offsetMinutesAt(wallMs, zone), offsetMinutesAt(wallMs + DAY_MS, zone)]);
	const candidates = [...offsets].map((o) => wallMs - o * MINUTE_MS).filter((t) => wallMsOf(t, zone) === wallMs);
	if (candidates.length > 0) return new Date(Math.min(...candidates));
	// A gap: find the transition, the first instant whose wall clock is later than `wall`.
	let lo = wallMs - Math.max(...offsets) * MINUTE_MS; // wall clock still before `wall`
	let hi = wallMs - Math.min(...offsets) * MINUTE_MS; // wall clock already after `wall`
	while (hi - lo > 1000) {
		const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
		if (wallMsOf(mid, zone) > wallMs) hi = mid;
		else lo = mid;
	}
	return new Date(hi);
}

/** Today's date in `zone` at `now`. */
export function todayIn(zone: string, now: Date | number = Date.now()): LocalDate {
	return wallClockOf(now, zone).slice(0, 10);
}

/** `date` plus `days` (may be negative). */
export function addDays(date: LocalDate, days: number): LocalDate {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
	const [y, m, d] = date.split('-').map(Number);
	return new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() || 7;
}

/** The Monday of `date`'s ISO week. */
export function startOfIsoWeek(date: LocalDate): LocalDate {
	return addDays(date, 1 - isoWeekday(date));
}

/** A wall time moved by `seconds` on the wall clock (no zone involved): what a drag by that much means. */
export function shiftWall(wall: string, seconds: number): WallTime {
	const ms = parseWall(wall);
	if (Number.isNaN(ms)) throw new RangeError(`Not a wall-clock time: ${wall}`);
	return wallString(ms + seconds * 1000);
}

/** Minutes after local midnight → "HH:mm:ss" (1440 → "24:00:00"), as the calendar's slot limits take them. */
export function minutesToClock(minutes: number): string {
	return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:00`;
}

/** The wall time of `date` at `minutes` after midnight ("YYYY-MM-DDTHH:mm:ss"); 1440 is the next day's 00:00. */
export function wallAt(date: LocalDate, minutes: number): WallTime {
	const [y, m, d] = date.split('-').map(Number);
	return wallString(Date.UTC(y!, m! - 1, d!) + minutes * MINUTE_MS);
}

/** The days a calendar view shows and the instants that bound them. */
export interface CalendarRange {
	/** First local date shown. */
	start: LocalDate;
	/** Every local date shown, in order (1 for a day view, 7 for a week from Monday). */
	days: LocalDate[];
	/** The instant the first day starts in the salon's zone. */
	from: Date;
	/** The instant after the last day ends (exclusive). */
	to: Date;
}

/** The range of a day view (`date` only) or a week view (Monday to Sunday around `date`) in `zone`. */
export function calendarRange(date: LocalDate, view: 'day' | 'week', zone: string): CalendarRange {
	const start = view === 'week' ? startOfIsoWeek(date) : date;
	const count = view === 'week' ? 7 : 1;
	const days = Array.from({ length: count }, (_, i) => addDays(start, i));
	return { start, days, from: instantOf(wallAt(start, 0), zone), to: instantOf(wallAt(addDays(start, count), 0), zone) };
}

/** The local date "YYYY-MM-DD" of `instant` in `zone`. */
export function localDateOf(instant: Date | number | string, zone: string): LocalDate {
	return wallClockOf(instant, zone).slice(0, 10);
}

/** The local day `date` in `zone` as UTC instants [from, until): 23 or 25 hours on DST change days. */
export function localDayRange(date: LocalDate, zone: string): { from: Date; until: Date } {
	return { from: instantOf(wallAt(date, 0), zone), until: instantOf(wallAt(addDays(date, 1), 0), zone) };
}
