import { isDomainError } from '@chairside/core';
import { fail, redirect } from '@sveltejs/kit';
import { clientErrorField, invalidPhoneMessage, readClientEditForm, type ClientFormErrors } from '$lib/clients/forms';
import { routes } from '$lib/routes';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** The edit form of a client, filled in; a merged record's id goes to the kept client's form. */
export const load = (async ({ locals, params }) => {
	const { core, tenant } = requirePermission(locals, 'clients');
	const { client } = await core.crm.getProfile({ tenantId: tenant.id, clientId: params.id }).catch(throwAsHttpError);
	if (client.id !== params.id) redirect(303, routes.clientEdit(client.id));
	return { client };
}) satisfies PageServerLoad;

export const actions: Actions = {
	/**
	 * Saves name, phone (read in the salon's country; a changed phone is unverified), birthday,
	 * notes, tags and consent (core.crm.update) → the client's page. 400 with field errors (an
	 * invalid phone shows the country's example); 404 for another salon's client.
	 */
	save: async ({ locals, params, request }) => {
		const { core, tenant } = requirePermission(locals, 'clients');
		const read = readClientEditForm(await request.formData());
		if (!read.ok) return fail(400, { values: read.values, errors: read.errors });
		try {
			await core.crm.update({ tenantId: tenant.id, clientId: params.id, ...read.value });
		} catch (e) {
			if (isDomainError(e, 'invalid_phone')) {
				return fail(400, { values: read.values, errors: { phone: invalidPhoneMessage((e.details as { example?: unknown } | undefined)?.example) } as ClientFormErrors });
			}
			if (isDomainError(e, 'invalid_input')) {
				const errors: ClientFormErrors = {};
				for (const [path, message] of Object.entries(fieldErrors(e))) errors[clientErrorField(path)] ??= message;
				return fail(400, { values: read.values, errors });
			}
			throwAsHttpError(e);
		}
		redirect(303, routes.client(params.id, { notice: 'saved' }));
	}
};
