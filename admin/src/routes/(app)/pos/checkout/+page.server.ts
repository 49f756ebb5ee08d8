import { checkoutAction, loadSellables } from '$lib/pos/checkout.server';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** A sale without a booking (a walk-in buying products, or a service not booked): an empty till. */
export const load = (async ({ locals }) => {
	const { tenant, core } = requirePermission(locals, 'pos');
	return { sellables: await loadSellables(core, tenant.id) };
}) satisfies PageServerLoad;

export const actions: Actions = {
	/** Pay: see checkoutAction (redirects to the receipt, or field errors). */
	default: (event) => checkoutAction(event)
};
