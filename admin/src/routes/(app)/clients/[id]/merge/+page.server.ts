import { isDomainError, type ClientProfile } from '@chairside/core';
import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { describeMerge } from '$lib/clients/merge';
import { formatMoney } from '$lib/format';
import { routes } from '$lib/routes';
import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

const querySchema = z.object({ q: z.string().trim().max(100).catch(''), with: z.uuid().nullable().catch(null) });

/**
 * Merging a duplicate into this client, in two steps on one page: find the duplicate (`q`, a
 * search), then preview what merging it (`with`) would move and fill in, with a button to confirm.
 */
export const load = (async ({ locals, params, url }) => {
	const { core, tenant } = requirePermission(locals, 'clients');
	const keep = await core.crm.getProfile({ tenantId: tenant.id, clientId: params.id }).catch(throwAsHttpError);
	if (keep.client.id !== params.id) redirect(303, routes.clientMerge(keep.client.id));
	const query = querySchema.parse({ q: url.searchParams.get('q') ?? '', with: url.searchParams.get('with') });
	const candidates = query.q ? (await core.crm.search({ tenantId: tenant.id, query: query.q, limit: 20 })).filter((c) => c.id !== keep.client.id) : [];

	let duplicate: ClientProfile | null = null;
	let problem: string | null = null;
	if (query.with === keep.client.id) problem = 'A client cannot be merged into itself: pick the other record.';
	else if (query.with) {
		duplicate = await core.crm.getProfile({ tenantId: tenant.id, clientId: query.with }).catch(throwAsHttpError);
		if (duplicate.client.id !== query.with) {
			problem = `That record was merged into ${duplicate.client.name} already.`;
			duplicate = null;
		}
	}
	const preview = duplicate ? describeMerge(keep, duplicate, (minor) => formatMoney(minor, keep.currency, tenant.locale)) : [];
	return { keep: keep.client, q: query.q, candidates, duplicate: duplicate?.client ?? null, preview, problem };
}) satisfies PageServerLoad;

export const actions: Actions = {
	/**
	 * Merges `mergeId` into this client (core.crm.merge: bookings, sales and messenger identities
	 * move in one transaction) → this client's page. 409 when either was merged meanwhile; 404 for
	 * another salon's ids.
	 */
	merge: async ({ locals, params, request }) => {
		const { core, tenant, account } = requirePermission(locals, 'clients');
		const parsed = z.object({ mergeId: z.uuid() }).safeParse({ mergeId: (await request.formData()).get('mergeId') });
		if (!parsed.success) return fail(400, { error: 'Pick the duplicate to merge first.' });
		try {
			await core.crm.merge({ tenantId: tenant.id, keepId: params.id, mergeId: parsed.data.mergeId, actor: `staff:${account.id}` });
		} catch (e) {
			if (isDomainError(e, 'conflict') || isDomainError(e, 'invalid_input')) return fail(isDomainError(e, 'conflict') ? 409 : 400, { error: e.message });
			throwAsHttpError(e);
		}
		redirect(303, routes.client(params.id, { notice: 'merged' }));
	}
};
