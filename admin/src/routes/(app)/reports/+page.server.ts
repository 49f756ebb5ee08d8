import { addDays, isLocalDate, localDateOf as localDate } from '$lib/zone';
import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/**
 * The daily close for `date` (a local date "YYYY-MM-DD" in the salon's zone; default today):
 * totals by payment method, sales, gross, discounts and tips (core.reports.dailyClose). A date
 * that is not a date shows today with a field error.
 */
export const load = (async ({ locals, url }) => {
	const { tenant, core } = requirePermission(locals, 'reports');
	const today = localDate(core.clock.now(), tenant.timeZone);
	const asked = url.searchParams.get('date') ?? '';
	const valid = asked === '' || isLocalDate(asked);
	const date = asked && valid ? asked : today;
	const close = await core.reports.dailyClose({ tenantId: tenant.id, date }).catch(throwAsHttpError);
	return {
		today,
		date,
		previous: addDays(date, -1),
		next: date < today ? addDays(date, 1) : null,
		dateError: valid ? null : `"${asked}" is not a date: showing today`,
		close: { ...close, from: close.from.toISOString(), until: close.until.toISOString() }
	};
}) satisfies PageServerLoad;
