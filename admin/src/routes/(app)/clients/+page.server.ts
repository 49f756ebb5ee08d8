import { isDomainError } from '@chairside/core';
import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { clientErrorField, invalidPhoneMessage, readNewClientForm, type ClientFormErrors } from '$lib/clients/forms';
import { routes } from '$lib/routes';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

const querySchema = z.string().trim().max(100).catch('');

/** The client list: `q` matches every word of the name, or the phone's digits (formatting ignored). */
export const load = (async ({ locals, url }) => {
	const { core, tenant } = requirePermission(locals, 'clients');
	const q = querySchema.parse(url.searchParams.get('q') ?? '');
	const clients = await core.crm.search({ tenantId: tenant.id, query: q, limit: 50 }).catch(throwAsHttpError);
	return { q, clients };
}) satisfies PageServerLoad;

export const actions: Actions = {
	/** New client (name + optional phone, read in the salon's country) → their page. 400 with field errors. */
	create: async ({ locals, request }) => {
		const { core, tenant } = requirePermission(locals, 'clients');
		const form = await request.formData();
		const values = { name: String(form.get('name') ?? ''), phone: String(form.get('phone') ?? '') };
		const read = readNewClientForm(form);
		if (!read.ok) return fail(400, { create: { values, errors: read.errors } });
		let id: string;
		try {
			id = (await core.crm.createClient({ tenantId: tenant.id, ...read.value })).id;
		} catch (e) {
			if (isDomainError(e, 'invalid_phone')) {
				return fail(400, { create: { values, errors: { phone: invalidPhoneMessage((e.details as { example?: unknown } | undefined)?.example) } as ClientFormErrors } });
			}
			if (isDomainError(e, 'invalid_input')) {
				const errors: ClientFormErrors = {};
				for (const [path, message] of Object.entries(fieldErrors(e))) errors[clientErrorField(path)] ??= message;
				return fail(400, { create: { values, errors } });
			}
			throw e;
		}
		redirect(303, routes.client(id));
	}
};
