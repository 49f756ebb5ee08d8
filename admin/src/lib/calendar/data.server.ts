/**
 * Server side of the calendar: who sees which columns, the page data for a day or week, and how a
 * refused booking or move is explained (with the nearest free times). Calls core only.
 */
import { can, isDomainError, type AccountView, type AvailableSlot, type Core, type TenantView } from '@chairside/core';
import { error } from '@sveltejs/kit';
import type { CalendarView } from '$lib/routes';
import { bookingFeedFor } from './feed.server';
import { toCalendarBooking } from './events';
import type { Alternative, CalendarData } from './types';
import { calendarRange, isLocalDate, todayIn, wallClockOf, type LocalDate } from '$lib/zone';

/** Which staff columns an account works in: all of them ("calendar:all"), or only its own (maybe none). */
export function scopeOf(account: AccountView): { all: true } | { all: false; staffId: string | null } {
	return can(account, 'calendar:all') ? { all: true } : { all: false, staffId: account.staffId };
}

/** Throws 403 unless the account may work in `staffId`'s column. */
export function assertColumn(account: AccountView, staffId: string): void {
	const scope = scopeOf(account);
	if (!scope.all && scope.staffId !== staffId) {
		error(403, { message: 'You may only work in your own calendar column', code: 'forbidden' });
	}
}

/** "YYYY-MM-DD" and "day" | "week" from the URL; today and "day" when missing or malformed. */
export function parseCalendarQuery(url: URL, zone: string, now: Date): { date: LocalDate; view: CalendarView } {
	const date = url.searchParams.get('date') ?? '';
	const view = url.searchParams.get('view');
	return { date: isLocalDate(date) ? date : todayIn(zone, now), view: view === 'week' ? 'week' : 'day' };
}

/** The calendar's data for `date` and `view`, limited to the columns the account may see. */
export async function loadCalendar(core: Core, account: AccountView, tenant: TenantView, query: { date: LocalDate; view: CalendarView }, now: Date): Promise<CalendarData> {
	const range = calendarRange(query.date, query.view, tenant.timeZone);
	const scope = scopeOf(account);
	// The version first: a change after it (even while the rest loads) makes the feed notify.
	const version = await bookingFeedFor(core).version(tenant.id);
	const [allStaff, services] = await Promise.all([core.catalogAdmin.listStaffForAdmin(tenant.id, range.from), core.catalog.listServices(tenant.id)]);
	const staff = allStaff.filter((s) => s.active && (scope.all || s.id === scope.staffId));
	const bookings = staff.length
		? await core.bookings.listForCalendar({ tenantId: tenant.id, from: range.from, to: range.to, staffIds: staff.map((s) => s.id) })
		: [];
	return {
		date: query.date,
		view: query.view,
		today: todayIn(tenant.timeZone, now),
		days: range.days,
		staff: staff.map((s) => ({ id: s.id, name: s.name, serviceIds: s.serviceIds })),
		schedules: staff.map((s) => ({
			id: s.id,
			weekly: s.weekly,
			overrides: s.overrides,
			timeOff: s.timeOff.map((t) => ({ id: t.id, startsAt: t.startsAt.toISOString(), endsAt: t.endsAt.toISOString(), reason: t.reason }))
		})),
		services: services.map((s) => ({ id: s.id, name: s.name, durationMinutes: s.durationMinutes, priceMinor: s.priceMinor, currency: s.currency })),
		bookings: bookings.map((b) => toCalendarBooking(b, tenant.timeZone, now)),
		version,
		slotStepMinutes: tenant.slotStepMinutes,
		seesAll: scope.all,
		canLookUpClients: can(account, 'clients:lookup')
	};
}

/** A free slot for the page: wall time and a label in the salon's locale. */
export function toAlternative(slot: AvailableSlot, tenant: TenantView): Alternative {
	const label = new Intl.DateTimeFormat(tenant.locale, {
		timeZone: tenant.timeZone,
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		hour: '2-digit',
		minute: '2-digit'
	}).format(slot.startsAt);
	return { start: wallClockOf(slot.startsAt, tenant.timeZone), label, staffIds: slot.staffIds };
}

/** What to tell staff when core refused a time (`slot_taken` or `slot_unavailable`), and what to offer instead. */
export interface Refusal {
	message: string;
	alternatives: Alternative[];
}

/**
 * Explains a refused booking or move of `serviceId` at `startsAt` in `staff`'s column: another
 * booking there ("Anna already has a booking then: Eva, 10:00–11:00"), or no free time (break, time
 * off), or not a bookable time at all; with the nearest free times for that staff member. Returns
 * null for other errors.
 */
export async function explainRefusal(
	core: Core,
	tenant: TenantView,
	e: unknown,
	request: { staff: { id: string; name: string }; serviceId: string; startsAt: Date; durationMinutes: number; excludeBookingId?: string }
): Promise<Refusal | null> {
	if (!isDomainError(e, 'slot_taken') && !isDomainError(e, 'slot_unavailable')) return null;
	const { staff, startsAt } = request;
	const time = new Intl.DateTimeFormat(tenant.locale, { timeZone: tenant.timeZone, hour: '2-digit', minute: '2-digit' });
	const endsAt = new Date(startsAt.getTime() + request.durationMinutes * 60_000);
	let message: string;
	if (isDomainError(e, 'slot_unavailable')) {
		message = `${time.format(startsAt)} is not a bookable time for ${staff.name}: outside their working hours or off the ${tenant.slotStepMinutes}-minute grid.`;
	} else {
		// Buffers may make a booking next door collide too: look an hour either side.
		const around = await core.bookings.listForCalendar({
			tenantId: tenant.id,
			from: new Date(startsAt.getTime() - 3_600_000),
			to: new Date(endsAt.getTime() + 3_600_000),
			staffIds: [staff.id]
		});
		const others = around.filter((b) => b.id !== request.excludeBookingId && b.status !== 'cancelled');
		const clash = others.find((b) => b.startsAt < endsAt && b.endsAt > startsAt) ?? others.at(0);
		message = clash
			? `${staff.name} already has a booking then: ${clash.clientName ?? 'a client'}, ${time.format(clash.startsAt)}–${time.format(clash.endsAt)}.`
			: `${staff.name} is not free then (a break or time off).`;
	}
	const slots = (e.details as { alternatives?: AvailableSlot[] } | undefined)?.alternatives?.length
		? (e.details as { alternatives: AvailableSlot[] }).alternatives
		: await core.availability
				.nearestSlots({ tenantId: tenant.id, serviceId: request.serviceId, staffId: staff.id, around: startsAt, policy: 'staff', excludeBookingId: request.excludeBookingId })
				.catch(() => []);
	return { message, alternatives: slots.map((s) => toAlternative(s, tenant)) };
}
