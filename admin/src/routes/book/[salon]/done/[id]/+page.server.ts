import { isDomainError } from '@chairside/core';
import { error } from '@sveltejs/kit';
import { knownClient, salonFromSlug } from '$lib/booking-page/web.server';
import type { PageServerLoad } from './$types';

/**
 * The confirmation of a booking made in this browser. Only the browser that booked it sees it
 * (its client must be the booking's): any other id, or another browser, is a 404.
 */
export const load = (async ({ params, locals, cookies, setHeaders }) => {
	const { core } = locals;
	const tenant = await salonFromSlug(core, params.salon);
	const notFound: () => never = () => error(404, { message: 'This booking was not found', code: 'not_found' });
	const client = await knownClient(core, tenant.id, cookies);
	if (!client) notFound();
	const booking = await core.bookings.getBooking({ tenantId: tenant.id, bookingId: params.id }).catch((e: unknown) => {
		if (isDomainError(e, 'not_found')) notFound();
		throw e;
	});
	if (booking.clientId !== client.id) notFound();
	setHeaders({ 'cache-control': 'private, no-store' });
	return {
		booking: {
			status: booking.status,
			serviceName: booking.serviceName,
			staffName: booking.staffName,
			startsAt: booking.startsAt.toISOString(),
			endsAt: booking.endsAt.toISOString(),
			priceMinor: booking.priceMinor,
			currency: booking.currency,
			clientName: client.name,
			clientPhone: client.phone
		}
	};
}) satisfies PageServerLoad;
