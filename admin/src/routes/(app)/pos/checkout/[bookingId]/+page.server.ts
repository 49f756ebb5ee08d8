import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { CartLine } from '$lib/pos/cart';
import { checkoutAction, loadSellables } from '$lib/pos/checkout.server';
import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

function bookingIdOf(params: { bookingId: string }): string {
	const parsed = z.uuid().safeParse(params.bookingId);
	if (!parsed.success) error(404, { message: 'Booking was not found', code: 'not_found' });
	return parsed.data;
}

/**
 * Checkout of one booking: the booked service at the booked price and the client, from
 * `core.pos.draftFromBooking`, plus what else can be sold. 404 for an unknown booking or one of
 * another salon; 409 for a booking that cannot be checked out (cancelled, no-show, held). A booking
 * already checked out shows a link to its sale instead of the till.
 */
export const load = (async ({ locals, params }) => {
	const { tenant, core } = requirePermission(locals, 'pos');
	const bookingId = bookingIdOf(params);
	const [draft, booking, sellables] = await Promise.all([
		core.pos.draftFromBooking({ tenantId: tenant.id, bookingId }),
		core.bookings.getBooking({ tenantId: tenant.id, bookingId }),
		loadSellables(core, tenant.id)
	]).catch(throwAsHttpError);
	const lines: CartLine[] = draft.lines.map((l) => ({
		kind: 'service',
		id: l.serviceId,
		description: l.description,
		quantity: l.quantity,
		unitPriceMinor: l.unitPriceMinor,
		stock: null
	}));
	return {
		booking: {
			id: booking.id,
			startsAt: booking.startsAt.toISOString(),
			serviceName: booking.serviceName,
			staffName: booking.staffName,
			status: booking.status
		},
		client: draft.client,
		existingSaleId: draft.existingSaleId,
		lines,
		sellables
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/** Pay: see checkoutAction (redirects to the receipt, or field errors). */
	default: (event) => checkoutAction(event, bookingIdOf(event.params))
};
