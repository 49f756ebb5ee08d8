import { isDomainError } from '@chairside/core';
import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { clientErrorField, invalidPhoneMessage, newClientSchema } from '$lib/clients/forms';
import { fieldErrors } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { RequestHandler } from './$types';

/** A client as the lookup returns it. */
export interface LookupClient {
	id: string;
	name: string;
	/** E.164, or null. */
	phone: string | null;
}

const querySchema = z.object({ q: z.string().trim().max(100).default(''), limit: z.coerce.number().int().min(1).max(20).default(10) });

/**
 * Staff lookup ("clients:lookup": every role): GET ?q=<name or phone digits>&limit=10 →
 * `{ clients: LookupClient[] }`, by name (merged records left out).
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const { core, tenant } = requirePermission(locals, 'clients:lookup');
	const parsed = querySchema.safeParse({ q: url.searchParams.get('q') ?? undefined, limit: url.searchParams.get('limit') ?? undefined });
	if (!parsed.success) error(400, { message: 'Use ?q=<name or phone>&limit=1..20', code: 'invalid_input' });
	const found = await core.crm.search({ tenantId: tenant.id, query: parsed.data.q, limit: parsed.data.limit });
	return json({ clients: found.map((c): LookupClient => ({ id: c.id, name: c.name, phone: c.phone })) });
};

/**
 * Adds a client at the desk: JSON or form `{ name, phone? }` → 201 `{ client: LookupClient }`;
 * 400 `{ errors: { name?, phone? } }` (an invalid phone carries the salon country's example).
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const { core, tenant } = requirePermission(locals, 'clients:lookup');
	const type = request.headers.get('content-type') ?? '';
	let body: unknown;
	try {
		body = type.includes('application/json') ? await request.json() : Object.fromEntries(await request.formData());
	} catch {
		return json({ errors: { form: 'Send JSON or a form with name and phone' } }, { status: 400 });
	}
	const parsed = newClientSchema.safeParse({ name: '', phone: '', ...(typeof body === 'object' && body ? body : {}) });
	if (!parsed.success) {
		const errors: Record<string, string> = {};
		for (const issue of parsed.error.issues) errors[clientErrorField(issue.path.join('.'))] ??= issue.message;
		return json({ errors }, { status: 400 });
	}
	try {
		const client = await core.crm.createClient({ tenantId: tenant.id, ...parsed.data });
		return json({ client: { id: client.id, name: client.name, phone: client.phone } satisfies LookupClient }, { status: 201 });
	} catch (e) {
		if (isDomainError(e, 'invalid_phone')) return json({ errors: { phone: invalidPhoneMessage((e.details as { example?: unknown } | undefined)?.example) } }, { status: 400 });
		if (isDomainError(e, 'invalid_input')) return json({ errors: fieldErrors(e) }, { status: 400 });
		throw e;
	}
};
