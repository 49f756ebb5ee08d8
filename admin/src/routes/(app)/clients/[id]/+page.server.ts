import { redirect } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/**
 * A client's page (core.crm.getProfile): details, upcoming and past bookings, visits, spend,
 * no-shows, messengers. Another salon's id or an unknown one is a 404; a merged record's id
 * redirects to the client it was merged into.
 */
export const load = (async ({ locals, params, url }) => {
	const { core, tenant } = requirePermission(locals, 'clients');
	const profile = await core.crm.getProfile({ tenantId: tenant.id, clientId: params.id }).catch(throwAsHttpError);
	if (profile.client.id !== params.id) redirect(303, routes.client(profile.client.id));
	const notice = url.searchParams.get('notice');
	return { profile, merged: notice === 'merged', saved: notice === 'saved' };
}) satisfies PageServerLoad;
