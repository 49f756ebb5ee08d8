import { salonFromSlug } from '$lib/booking-page/web.server';
import type { LayoutServerLoad } from './$types';

/** The salon of the booking page (an unknown slug is a 404), with what its pages format by. */
export const load = (async ({ params, locals }) => {
	const tenant = await salonFromSlug(locals.core, params.salon);
	return { salon: { slug: tenant.slug, name: tenant.name, timeZone: tenant.timeZone, locale: tenant.locale, currency: tenant.currency } };
}) satisfies LayoutServerLoad;
