import { isDomainError, type AvailableSlot } from '@chairside/core';
import { error, fail, redirect } from '@sveltejs/kit';
import { clearHold, knownClient, readHold, salonFromSlug, setHold, WEB_CHANNEL } from '$lib/booking-page/web.server';
import { ANY_STAFF, holdSchema, offeredAlternatives, readBookingQuery, staffIdOf, stepOf } from '$lib/booking-page/steps';
import { routes } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

const notFound = (message: string) => error(404, { message, code: 'not_found' });

/**
 * The steps before the contact form, from the query: services; then who (anyone or one of the
 * staff who perform it); then the days with free slots (core.availability.findDays, the salon's
 * booking rules); then that day's free times (findSlotsOnDay). A service or staff member the salon
 * does not offer is a 404.
 */
export const load = (async ({ params, url, locals }) => {
	const { core } = locals;
	const tenant = await salonFromSlug(core, params.salon);
	const query = readBookingQuery(url.searchParams);
	const step = stepOf(query);
	const services = await core.catalog.listServices(tenant.id);
	const service = query.serviceId ? services.find((s) => s.id === query.serviceId) : undefined;
	if (query.serviceId && !service) notFound('This service is not offered here');
	const staff = service ? await core.catalog.listStaffForService(tenant.id, service.id) : [];
	const staffId = query.staff ? staffIdOf(query.staff) : null;
	if (staffId && !staff.some((s) => s.id === staffId)) notFound('This person does not offer this service');

	const request = service && query.staff ? { tenantId: tenant.id, serviceId: service.id, staffId } : null;
	const days = request && step === 'day' ? await core.availability.findDays(request) : [];
	const slots: AvailableSlot[] = request && query.date ? await core.availability.findSlotsOnDay({ ...request, date: query.date }) : [];
	return {
		step,
		query,
		services,
		service: service ?? null,
		staff,
		days,
		slots: slots.map((s) => s.startsAt.toISOString())
	};
}) satisfies PageServerLoad;

/** What the page shows after a time could not be held. */
export interface HoldFailure {
	/** The start that was refused (ISO). */
	taken: string;
	/** Free starts nearby to offer instead (ISO). */
	alternatives: string[];
	/** True when the time is no longer bookable at all (notice, hours), not merely taken. */
	unavailable?: boolean;
	message?: string;
}

export const actions: Actions = {
	/**
	 * Holds the picked time for the salon's hold minutes (core.bookings.hold, channel "web", the
	 * same rules and fair staff choice as the bots), remembers it in a cookie and goes on to the
	 * contact step. A time taken meanwhile answers 409 with the nearest alternatives (the grid is
	 * loaded again, fresh); a held time picked before is given back first.
	 */
	hold: async ({ request, params, locals, cookies, url }) => {
		const { core } = locals;
		const tenant = await salonFromSlug(core, params.salon);
		const form = await request.formData();
		const parsed = holdSchema.safeParse({ startsAt: form.get('startsAt'), service: form.get('service'), staff: form.get('staff') ?? ANY_STAFF });
		if (!parsed.success) return fail(400, { hold: { taken: '', alternatives: [], message: 'Pick a time from the list' } as HoldFailure });
		const { startsAt, service, staff } = parsed.data;
		const previous = readHold(cookies);
		if (previous) {
			await core.bookings.releaseHold({ tenantId: tenant.id, bookingId: previous.bookingId });
			clearHold(cookies, url, tenant.slug);
		}
		const client = await knownClient(core, tenant.id, cookies);
		const staffId = staffIdOf(staff);
		try {
			const held = await core.bookings.hold({ tenantId: tenant.id, serviceId: service, staffId, startsAt, channel: WEB_CHANNEL, clientId: client?.id ?? null });
			setHold(cookies, url, tenant.slug, { bookingId: held.id, staff }, tenant.holdMinutes);
		} catch (e) {
			const taken = startsAt.toISOString();
			if (isDomainError(e, 'slot_taken')) {
				const alternatives = offeredAlternatives((e.details as { alternatives?: AvailableSlot[] } | undefined)?.alternatives ?? [], staffId);
				return fail(409, { hold: { taken, alternatives } as HoldFailure });
			}
			if (isDomainError(e, 'slot_unavailable')) return fail(409, { hold: { taken, alternatives: [], unavailable: true } as HoldFailure });
			if (isDomainError(e, 'not_found')) notFound('This service or person is not offered here');
			if (isDomainError(e, 'invalid_input')) return fail(400, { hold: { taken, alternatives: [], message: 'Pick a time from the list' } as HoldFailure });
			throw e;
		}
		redirect(303, routes.bookDetails(tenant.slug));
	}
};
