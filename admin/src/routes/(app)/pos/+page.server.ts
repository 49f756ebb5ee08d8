import { can } from '@chairside/core';
import { localDateOf as localDate, localDayRange } from '$lib/zone';
import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/** Booking statuses the till checks out (core also accepts completed ones without a sale). */
const READY = new Set(['confirmed', 'arrived']);

/**
 * The till's start page: today's bookings (local day in the salon's zone) that are ready to check
 * out, soonest first, and today's sales. A staff member linked to a calendar column sees the
 * bookings of that column only (staff see their own calendar); everyone with the POS may check
 * out any booking by its page.
 */
export const load = (async ({ locals }) => {
	const { account, tenant, core } = requirePermission(locals, 'pos');
	const today = localDate(core.clock.now(), tenant.timeZone);
	const { from, until } = localDayRange(today, tenant.timeZone);
	const ownOnly = !can(account, 'calendar:all') && account.staffId !== null;
	const [bookings, sales] = await Promise.all([
		core.bookings.listForCalendar({ tenantId: tenant.id, from, to: until, ...(ownOnly && { staffIds: [account.staffId!] }) }),
		core.pos.listSales({ tenantId: tenant.id, from, until, limit: 100 })
	]).catch(throwAsHttpError);
	return {
		today,
		bookings: bookings
			.filter((b) => READY.has(b.status))
			.map((b) => ({
				id: b.id,
				startsAt: b.startsAt.toISOString(),
				status: b.status,
				serviceName: b.serviceName,
				staffName: b.staffName,
				clientName: b.clientName,
				priceMinor: b.priceMinor
			})),
		sales: sales.map((s) => ({ id: s.id, createdAt: s.createdAt.toISOString(), totalMinor: s.totalMinor, status: s.status, lines: s.lines.map((l) => l.description).join(', ') })),
		ownOnly
	};
}) satisfies PageServerLoad;
