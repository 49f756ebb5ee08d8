/**
 * Calendar data for the page, and its mapping to @event-calendar events. Pure (no core runtime, no
 * Svelte): the server builds `CalendarBooking`s and `StaffSchedule`s from core views, the page
 * turns them into events. Every time here is a salon wall time (see ./zone.ts): the calendar draws
 * it as given, whatever the browser's zone.
 */
import type { BookingStatus, BookingView } from '@chairside/core';
import type { Calendar } from '@event-calendar/core';
import { addDays, isoWeekday, wallAt, wallClockOf, type LocalDate, type WallTime } from '$lib/zone';

/** A booking's status: core's own type. */
export type { BookingStatus };

/** Status names for people. The calendar also shows them as text, not only as colour. */
export const STATUS_LABELS: Record<BookingStatus, string> = {
	held: 'Held',
	confirmed: 'Confirmed',
	arrived: 'Arrived',
	completed: 'Completed',
	no_show: 'No-show',
	cancelled: 'Cancelled',
	expired: 'Expired'
};

/** A booking as the calendar page needs it. Money in minor units of `currency`. */
export interface CalendarBooking {
	id: string;
	status: BookingStatus;
	/** Salon wall clock. */
	start: WallTime;
	end: WallTime;
	/** The instants, ISO 8601 UTC. */
	startsAt: string;
	endsAt: string;
	staffId: string;
	staffName: string;
	serviceId: string;
	serviceName: string;
	clientId: string | null;
	clientName: string | null;
	/** E.164. */
	clientPhone: string | null;
	/** Where it was booked: "telegram", "admin", "web", ... */
	channel: string;
	priceMinor: number;
	currency: string;
	/** When a hold lapses (ISO), or null. */
	holdExpiresAt: string | null;
	/** Staff may drag it to another time or column: confirmed or arrived, and not over yet. */
	movable: boolean;
}

/** Core's BookingView as the admin receives it (the salon is implied by the session). */
export type BookingViewLike = Omit<BookingView, 'tenantId'>;

/** A core booking view in the salon's wall clock. `now` decides whether it may still move. */
export function toCalendarBooking(b: BookingViewLike, zone: string, now: Date): CalendarBooking {
	return {
		id: b.id,
		status: b.status,
		start: wallClockOf(b.startsAt, zone),
		end: wallClockOf(b.endsAt, zone),
		startsAt: b.startsAt.toISOString(),
		endsAt: b.endsAt.toISOString(),
		staffId: b.staffId,
		staffName: b.staffName,
		serviceId: b.serviceId,
		serviceName: b.serviceName,
		clientId: b.clientId,
		clientName: b.clientName,
		clientPhone: b.clientPhone,
		channel: b.channel,
		priceMinor: b.priceMinor,
		currency: b.currency,
		holdExpiresAt: b.holdExpiresAt ? b.holdExpiresAt.toISOString() : null,
		movable: (b.status === 'confirmed' || b.status === 'arrived') && b.endsAt.getTime() > now.getTime()
	};
}

/** Minutes after local midnight, `[startMinute, endMinute)`. */
export interface MinuteRange {
	startMinute: number;
	endMinute: number;
}

/** One staff member's hours as core's catalogAdmin.listStaffForAdmin gives them. */
export interface StaffSchedule {
	id: string;
	weekly: { weekday: number; work: MinuteRange[]; breaks: MinuteRange[] }[];
	/** A date's ranges replace that weekday's work AND breaks; [] = closed. */
	overrides: { date: LocalDate; ranges: MinuteRange[] }[];
	timeOff: { id: string; startsAt: Date | string; endsAt: Date | string; reason: string | null }[];
}

/** What an event of the calendar carries in `extendedProps`. */
export type EventProps =
	| { kind: 'booking'; booking: CalendarBooking }
	| { kind: 'schedule'; type: 'work' | 'break' | 'time_off'; label: string };

/** The booking behind a calendar event, or null for working hours, breaks and time off. */
export function bookingOf(event: { extendedProps: Record<string, unknown> }): CalendarBooking | null {
	const props = event.extendedProps as Partial<EventProps>;
	return props.kind === 'booking' ? (props as { booking: CalendarBooking }).booking : null;
}

/** The calendar event of a booking: in its staff member's column, coloured by status (CSS class `bk-<status>`). */
export function bookingEvent(b: CalendarBooking): Calendar.EventInput {
	return {
		id: b.id,
		resourceId: b.staffId,
		start: b.start,
		end: b.end,
		title: `${b.clientName ?? 'No client'} · ${b.serviceName}`,
		classNames: ['bk', `bk-${b.status}`],
		startEditable: b.movable,
		durationEditable: false,
		extendedProps: { kind: 'booking', booking: b } satisfies EventProps
	};
}

function backgroundEvent(staffId: string, start: WallTime, end: WallTime, type: 'work' | 'break' | 'time_off', label: string, key: string): Calendar.EventInput {
	return {
		id: `${type}:${staffId}:${key}`,
		resourceId: staffId,
		start,
		end,
		display: 'background',
		classNames: [`sched-${type.replace('_', '-')}`],
		extendedProps: { kind: 'schedule', type, label } satisfies EventProps
	};
}

/** The ranges a staff member works on `date`, and their breaks (none when an override applies). */
export function dayHours(s: StaffSchedule, date: LocalDate): { work: MinuteRange[]; breaks: MinuteRange[] } {
	const override = s.overrides.find((o) => o.date === date);
	if (override) return { work: override.ranges, breaks: [] };
	const weekly = s.weekly.find((w) => w.weekday === isoWeekday(date));
	return { work: weekly?.work ?? [], breaks: weekly?.breaks ?? [] };
}

/**
 * Background events for the shown days: working hours (shaded), breaks and time off (labelled),
 * per staff column. Time off is clipped to the shown days.
 */
export function scheduleEvents(schedules: StaffSchedule[], days: LocalDate[], zone: string): Calendar.EventInput[] {
	const out: Calendar.EventInput[] = [];
	if (days.length === 0) return out;
	const first = wallAt(days[0]!, 0);
	const last = wallAt(addDays(days.at(-1)!, 1), 0);
	for (const s of schedules) {
		for (const date of days) {
			const { work, breaks } = dayHours(s, date);
			work.forEach((r, i) => out.push(backgroundEvent(s.id, wallAt(date, r.startMinute), wallAt(date, r.endMinute), 'work', 'Working hours', `${date}:${i}`)));
			breaks.forEach((r, i) => out.push(backgroundEvent(s.id, wallAt(date, r.startMinute), wallAt(date, r.endMinute), 'break', 'Break', `${date}:${i}`)));
		}
		for (const t of s.timeOff) {
			const start = wallClockOf(t.startsAt, zone);
			const end = wallClockOf(t.endsAt, zone);
			if (end <= first || start >= last) continue;
			out.push(backgroundEvent(s.id, start < first ? first : start, end > last ? last : end, 'time_off', t.reason ? `Time off: ${t.reason}` : 'Time off', t.id));
		}
	}
	return out;
}

/**
 * The hours the time grid shows, in minutes after midnight: from the earliest working hour or
 * booking to the latest, widened to whole hours with an hour to spare; 08:00–20:00 when nothing
 * is scheduled.
 */
export function visibleHours(schedules: StaffSchedule[], days: LocalDate[], bookings: Pick<CalendarBooking, 'start' | 'end'>[]): { min: number; max: number } {
	let min = Infinity;
	let max = -Infinity;
	for (const s of schedules) {
		for (const date of days) {
			for (const r of dayHours(s, date).work) {
				min = Math.min(min, r.startMinute);
				max = Math.max(max, r.endMinute);
			}
		}
	}
	const minuteOf = (wall: WallTime) => Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16));
	for (const b of bookings) {
		const startDay = b.start.slice(0, 10);
		min = Math.min(min, minuteOf(b.start));
		max = Math.max(max, b.end.slice(0, 10) > startDay ? 1440 : minuteOf(b.end));
	}
	if (min === Infinity) return { min: 8 * 60, max: 20 * 60 };
	return { min: Math.max(0, Math.floor(min / 60) * 60 - 60), max: Math.min(1440, Math.ceil(max / 60) * 60 + 60) };
}
