import { isDomainError, type TenantView } from '@chairside/core';
import { fail } from '@sveltejs/kit';
import { toCalendarBooking } from '$lib/calendar/events';
import { assertColumn, explainRefusal, loadCalendar, parseCalendarQuery } from '$lib/calendar/data.server';
import { bookFormSchema, cancelFormSchema, formValues, parseForm, rescheduleFormSchema, statusFormSchema } from '$lib/calendar/forms';
import { instantOf } from '$lib/zone';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission, type SignedIn } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** The dependency the page invalidates when the live feed reports a change. */
const CALENDAR_DATA = 'calendar:data';

const BOOK_FIELDS = ['staffId', 'date', 'time', 'serviceId', 'client', 'clientId', 'clientName', 'clientPhone'] as const;

/**
 * The calendar for `?date=YYYY-MM-DD&view=day|week` (default: today in the salon, day): staff
 * columns (a staff account only its own), their hours, breaks and time off, the bookings, the
 * services per staff member, and the bookings version the live feed starts from.
 */
export const load: PageServerLoad = async ({ locals, url, depends }) => {
	const { account, tenant, core } = requirePermission(locals, 'calendar:own');
	depends(CALENDAR_DATA);
	const now = core.clock.now();
	return loadCalendar(core, account, tenant, parseCalendarQuery(url, tenant.timeZone, now), now).catch(throwAsHttpError);
};

/** `staff:<account id>`: who did it, in booking history. */
const actorOf = (signedIn: SignedIn) => `staff:${signedIn.account.id}`;

/** The booking, if the account may work on it: 404 for unknown or foreign ids, 403 for another staff member's column. */
async function bookingFor(signedIn: SignedIn, bookingId: string) {
	const booking = await signedIn.core.bookings.getBooking({ tenantId: signedIn.tenant.id, bookingId }).catch(throwAsHttpError);
	assertColumn(signedIn.account, booking.staffId);
	return booking;
}

/** An active staff member of the salon with their services, or null for an unknown or inactive one. */
async function staffMember(signedIn: SignedIn, staffId: string) {
	const staff = await signedIn.core.catalogAdmin.listStaffForAdmin(signedIn.tenant.id, signedIn.core.clock.now());
	return staff.find((s) => s.id === staffId && s.active) ?? null;
}

function wallToInstant(wall: string, tenant: TenantView): Date {
	return instantOf(wall, tenant.timeZone);
}

export const actions: Actions = {
	/**
	 * A booking made at the desk: staff column, date and time (salon wall clock), a service that staff
	 * member performs, and an existing client or a new one (name and phone, "clients:lookup"). A time
	 * that is taken or not bookable answers 409 with the reason and the nearest free times; a new
	 * client created before such a refusal is returned as `clientId` so a retry does not add it twice.
	 */
	book: async ({ request, locals }) => {
		const signedIn = requirePermission(locals, 'calendar:own');
		const { tenant, core } = signedIn;
		const form = await request.formData();
		const values = formValues(form, BOOK_FIELDS);
		const parsed = parseForm(bookFormSchema, form);
		if (!parsed.ok) return fail(400, { action: 'book' as const, values, errors: parsed.errors });
		const input = parsed.data;
		assertColumn(signedIn.account, input.staffId);
		if (input.client === 'new') requirePermission(locals, 'clients:lookup');

		const staff = await staffMember(signedIn, input.staffId);
		if (!staff) return fail(400, { action: 'book' as const, values, errors: { staffId: 'Choose a staff member' } });
		if (!staff.serviceIds.includes(input.serviceId)) {
			return fail(400, { action: 'book' as const, values, errors: { serviceId: `${staff.name} does not do this service` } });
		}
		const services = await core.catalog.listServices(tenant.id);
		const service = services.find((s) => s.id === input.serviceId);
		if (!service) return fail(400, { action: 'book' as const, values, errors: { serviceId: 'Choose a service' } });
		const startsAt = wallToInstant(`${input.date}T${input.time}`, tenant);

		let clientId: string;
		if (input.client === 'existing') {
			const profile = await core.crm.getProfile({ tenantId: tenant.id, clientId: input.clientId! }).catch((e: unknown) => {
				if (isDomainError(e, 'not_found')) return null;
				throw e;
			});
			if (!profile) return fail(400, { action: 'book' as const, values, errors: { clientId: 'Choose a client, or add a new one' } });
			clientId = profile.client.id;
		} else {
			try {
				clientId = (await core.crm.createClient({ tenantId: tenant.id, name: input.clientName!, phone: input.clientPhone! })).id;
			} catch (e) {
				if (isDomainError(e, 'invalid_phone')) {
					const example = (e.details as { example?: string } | undefined)?.example;
					return fail(400, { action: 'book' as const, values, errors: { clientPhone: example ? `${e.message} (for example ${example})` : e.message } });
				}
				if (isDomainError(e, 'invalid_input')) {
					const errors = fieldErrors(e);
					return fail(400, { action: 'book' as const, values, errors: { clientName: errors.name ?? errors.form ?? e.message } });
				}
				throw e;
			}
		}

		try {
			const booking = await core.bookings.book({
				tenantId: tenant.id,
				serviceId: service.id,
				staffId: staff.id,
				startsAt,
				channel: 'admin',
				clientId,
				actor: actorOf(signedIn),
				policy: 'staff'
			});
			return { action: 'book' as const, booking: toCalendarBooking(booking, tenant.timeZone, core.clock.now()) };
		} catch (e) {
			const refusal = await explainRefusal(core, tenant, e, { staff, serviceId: service.id, startsAt, durationMinutes: service.durationMinutes });
			if (!refusal) throw e;
			return fail(409, { action: 'book' as const, values: { ...values, client: 'existing', clientId }, errors: { form: refusal.message }, alternatives: refusal.alternatives, clientId });
		}
	},

	/**
	 * Moves a booking (a drag, or the Move form) to `start` (salon wall clock) in `staffId`'s column.
	 * The database refuses a collision: 409 with why ("Anna already has a booking then: ...") and
	 * the nearest free times; the page snaps the event back and refreshes.
	 */
	reschedule: async ({ request, locals }) => {
		const signedIn = requirePermission(locals, 'calendar:own');
		const { tenant, core } = signedIn;
		const parsed = parseForm(rescheduleFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'reschedule' as const, message: Object.values(parsed.errors)[0]!, errors: parsed.errors });
		const { bookingId, staffId, start } = parsed.data;
		const current = await bookingFor(signedIn, bookingId);
		assertColumn(signedIn.account, staffId);
		const staff = await staffMember(signedIn, staffId);
		if (!staff) return fail(400, { action: 'reschedule' as const, message: 'That staff member is not in the calendar', errors: { staffId: 'Choose a staff member' } });
		if (!staff.serviceIds.includes(current.serviceId)) {
			return fail(409, { action: 'reschedule' as const, message: `${staff.name} does not do ${current.serviceName}.`, alternatives: [] });
		}
		const startsAt = wallToInstant(start, tenant);
		try {
			const moved = await core.bookings.reschedule({ tenantId: tenant.id, bookingId, startsAt, staffId, actor: actorOf(signedIn), policy: 'staff' });
			return { action: 'reschedule' as const, booking: toCalendarBooking(moved, tenant.timeZone, core.clock.now()) };
		} catch (e) {
			const durationMinutes = (current.endsAt.getTime() - current.startsAt.getTime()) / 60_000;
			const refusal = await explainRefusal(core, tenant, e, { staff, serviceId: current.serviceId, startsAt, durationMinutes, excludeBookingId: bookingId });
			if (refusal) return fail(409, { action: 'reschedule' as const, message: refusal.message, alternatives: refusal.alternatives });
			if (isDomainError(e, 'booking_not_changeable') || isDomainError(e, 'conflict')) {
				return fail(409, { action: 'reschedule' as const, message: e.message, alternatives: [] });
			}
			throw e;
		}
	},

	/** Marks a booking arrived, completed or no-show (or back to confirmed). 409 for a move core does not allow. */
	status: async ({ request, locals }) => {
		const signedIn = requirePermission(locals, 'calendar:own');
		const { tenant, core } = signedIn;
		const parsed = parseForm(statusFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'status' as const, message: Object.values(parsed.errors)[0]! });
		await bookingFor(signedIn, parsed.data.bookingId);
		try {
			const booking = await core.bookings.setStatus({ tenantId: tenant.id, bookingId: parsed.data.bookingId, status: parsed.data.status, actor: actorOf(signedIn) });
			return { action: 'status' as const, booking: toCalendarBooking(booking, tenant.timeZone, core.clock.now()) };
		} catch (e) {
			if (isDomainError(e, 'booking_not_changeable') || isDomainError(e, 'conflict')) return fail(409, { action: 'status' as const, message: e.message });
			throw e;
		}
	},

	/** Cancels a booking (the page asks to confirm first). 409 when it can no longer be cancelled. */
	cancel: async ({ request, locals }) => {
		const signedIn = requirePermission(locals, 'calendar:own');
		const { tenant, core } = signedIn;
		const parsed = parseForm(cancelFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'cancel' as const, message: Object.values(parsed.errors)[0]! });
		await bookingFor(signedIn, parsed.data.bookingId);
		try {
			const booking = await core.bookings.cancel({ tenantId: tenant.id, bookingId: parsed.data.bookingId, actor: actorOf(signedIn), reason: parsed.data.reason });
			return { action: 'cancel' as const, booking: toCalendarBooking(booking, tenant.timeZone, core.clock.now()) };
		} catch (e) {
			if (isDomainError(e, 'booking_not_changeable') || isDomainError(e, 'conflict')) return fail(409, { action: 'cancel' as const, message: e.message });
			throw e;
		}
	}
};
