import { isDomainError, type Core } from '@chairside/core';
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { routes } from '$lib/routes';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import { formValues, readInviteForm, type FieldErrors } from '$lib/settings/forms.server';
import type { Actions, PageServerLoad } from './$types';

/** A one-time sign-in link to show once: the URL carries the token, the database keeps only its hash. */
interface IssuedLink {
	name: string;
	email: string;
	url: string;
	expiresAt: string;
}

async function issueLink(core: Core, tenantId: string, account: { id: string; name: string; email: string }, origin: string): Promise<IssuedLink> {
	const link = await core.auth.createSignInLink({ tenantId, accountId: account.id });
	return { name: account.name, email: account.email, url: new URL(routes.signInLink(link.token), origin).href, expiresAt: link.expiresAt.toISOString() };
}

/** The salon's sign-in accounts and the staff members an account may work as. */
export const load = (async ({ locals }) => {
	const { core, tenant } = requirePermission(locals, 'staff:manage');
	const [accounts, staff] = await Promise.all([core.auth.listAccounts(tenant.id), core.catalogAdmin.listStaffForAdmin(tenant.id, core.clock.now())]);
	const staffNames = new Map(staff.map((s) => [s.id, s.name]));
	return {
		accounts: accounts.map((a) => ({
			id: a.id,
			name: a.name,
			email: a.email,
			role: a.role,
			hasPassword: a.hasPassword,
			disabled: a.disabled,
			staffName: a.staffId ? (staffNames.get(a.staffId) ?? null) : null
		})),
		staff: staff.filter((s) => s.active).map((s) => ({ id: s.id, name: s.name }))
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/**
	 * Creates an account (core.auth.createAccount) and a one-time sign-in link for it, shown once
	 * in the answer for the owner to pass on. 400 with field errors; an email in use is a field
	 * error too.
	 */
	invite: async ({ locals, request, url }) => {
		const { core, tenant } = requirePermission(locals, 'staff:manage');
		const form = await request.formData();
		const values = formValues(form, ['name', 'email', 'role', 'staffId']);
		const read = readInviteForm(form);
		if (!read.ok) return fail(400, { values, errors: read.errors });
		let link: IssuedLink;
		try {
			const account = await core.auth.createAccount({ tenantId: tenant.id, ...read.value });
			link = await issueLink(core, tenant.id, account, url.origin);
		} catch (e) {
			if (isDomainError(e, 'conflict')) return fail(400, { values, errors: { email: 'An account with this email exists already' } as FieldErrors });
			if (isDomainError(e, 'not_found')) return fail(400, { values, errors: { staffId: 'Pick a staff member from the list' } as FieldErrors });
			if (isDomainError(e, 'invalid_input')) return fail(400, { values, errors: fieldErrors(e) });
			return throwAsHttpError(e);
		}
		return { link };
	},

	/** A new one-time sign-in link for an account of this salon (earlier unused links stop working); 404 for another salon's. */
	link: async ({ locals, request, url }) => {
		const { core, tenant } = requirePermission(locals, 'staff:manage');
		const id = z.uuid().safeParse((await request.formData()).get('accountId'));
		if (!id.success) error(404, { message: 'Account was not found', code: 'not_found' });
		const account = await core.auth.getAccount(tenant.id, id.data).catch(throwAsHttpError);
		if (account.disabled) return fail(409, { errors: { form: `${account.name}'s account is disabled` } as FieldErrors });
		return { link: await issueLink(core, tenant.id, account, url.origin) };
	}
};
