/**
 * The public booking page's steps, read from its URL (each step is a plain GET, so the page works
 * without JavaScript): service → staff ("any" or one) → day → time. Pure and browser-safe.
 */
import { z } from 'zod';

/** "any" or a staff id. */
export const ANY_STAFF = 'any';

const uuid = z.uuid();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const isoInstant = z.iso.datetime({ offset: true });

/** What the URL says the visitor picked so far; anything malformed counts as not picked. */
export interface BookingQuery {
	serviceId: string | null;
	/** A staff id, "any", or null (not picked yet). */
	staff: string | null;
	date: string | null;
	/** A slot that was just taken (ISO instant), with alternatives to offer. */
	taken: string | null;
	alternatives: string[];
	/** The visitor's hold was lost (it ended, or the time was given away). */
	lost: boolean;
}

/** Which step to show. */
export type BookingStep = 'service' | 'staff' | 'day' | 'time';

/** Reads the booking page's query (zod per parameter; a bad one is dropped with everything after it). */
export function readBookingQuery(params: URLSearchParams): BookingQuery {
	const get = (key: string) => params.get(key) ?? '';
	const serviceId = uuid.safeParse(get('service')).success ? get('service') : null;
	const staffRaw = get('staff');
	const staff = serviceId && (staffRaw === ANY_STAFF || uuid.safeParse(staffRaw).success) ? staffRaw : null;
	const date = staff && isoDate.safeParse(get('date')).success ? get('date') : null;
	const taken = isoInstant.safeParse(get('taken')).success ? get('taken') : null;
	const alternatives = get('alt')
		.split(',')
		.filter((a) => isoInstant.safeParse(a).success)
		.slice(0, 6);
	return { serviceId, staff, date, taken, alternatives, lost: get('lost') === '1' };
}

/** The step the query leads to. */
export function stepOf(query: BookingQuery): BookingStep {
	if (!query.serviceId) return 'service';
	if (!query.staff) return 'staff';
	if (!query.date) return 'day';
	return 'time';
}

/** The staff id for core: null for "any". */
export function staffIdOf(staff: string): string | null {
	return staff === ANY_STAFF ? null : staff;
}

/**
 * The alternatives worth offering after a slot was taken: ISO start times, in time order, only
 * those the chosen staff member is free for (all when "any"), at most `max`.
 */
export function offeredAlternatives(alternatives: { startsAt: Date | string; staffIds: string[] }[], staffId: string | null, max = 3): string[] {
	return alternatives
		.filter((a) => staffId === null || a.staffIds.includes(staffId))
		.map((a) => new Date(a.startsAt).toISOString())
		.sort()
		.slice(0, max);
}

/** Part of the day a slot starts in, for grouping the time grid. */
export type DayPart = 'morning' | 'afternoon' | 'evening';

/** Groups start times by part of the local day (before 12:00, before 17:00, later); empty parts left out. */
export function groupByDayPart<T>(slots: T[], localMinutes: (slot: T) => number): { part: DayPart; slots: T[] }[] {
	const parts: { part: DayPart; slots: T[] }[] = [
		{ part: 'morning', slots: [] },
		{ part: 'afternoon', slots: [] },
		{ part: 'evening', slots: [] }
	];
	for (const slot of slots) {
		const m = localMinutes(slot);
		parts[m < 12 * 60 ? 0 : m < 17 * 60 ? 1 : 2]!.slots.push(slot);
	}
	return parts.filter((p) => p.slots.length > 0);
}

/** The contact form of the booking page: phone first, then name (as the bots ask). */
export const contactSchema = z.object({
	phone: z.string().trim().min(1, 'Enter your phone number').max(64, 'Enter a valid phone number'),
	name: z
		.string()
		.trim()
		.transform((v) => v.replace(/\s+/g, ' '))
		.pipe(
			z
				.string()
				.min(1, 'Enter your name')
				.max(60, 'Use at most 60 characters')
				.regex(/\p{L}/u, 'Enter your name')
		)
});

/** The time the visitor picked: an ISO instant, with the step it was picked on. */
export const holdSchema = z.object({
	startsAt: isoInstant.transform((v) => new Date(v)),
	service: uuid,
	staff: z.union([z.literal(ANY_STAFF), uuid])
});

/** A local date ("YYYY-MM-DD") for people in `locale`, e.g. "Monday, 4 March" (calendar arithmetic only, no zone). */
export function localDateLabel(date: string, locale: string, options: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' }): string {
	return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}
