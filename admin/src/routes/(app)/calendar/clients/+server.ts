import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { RequestHandler } from './$types';

const querySchema = z.string().trim().max(100);

/**
 * Client search for the calendar's booking form ("clients:lookup"): `?q=` matches names (every
 * word) or phone digits (see core CrmService.search). Answers `{ clients: [{ id, name, phone }] }`,
 * at most 10, by name; an empty `q` answers none.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const { tenant, core } = requirePermission(locals, 'clients:lookup');
	const parsed = querySchema.safeParse(url.searchParams.get('q') ?? '');
	const q = parsed.success ? parsed.data : '';
	if (!q) return json({ clients: [] });
	const found = await core.crm.search({ tenantId: tenant.id, query: q, limit: 10 }).catch(throwAsHttpError);
	return json({ clients: found.map((c) => ({ id: c.id, name: c.name, phone: c.phone })) }, { headers: { 'cache-control': 'no-store' } });
};
