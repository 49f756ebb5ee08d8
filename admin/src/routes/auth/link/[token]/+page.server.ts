import { isDomainError, passwordSchema } from '@chairside/core';
import { fail, redirect } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import { fieldErrors } from '$lib/server/errors';
import { setSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

/** Field errors of the set-password form: `form` is for the link itself (used, expired). */
export type SetPasswordErrors = Partial<Record<'password' | 'confirm' | 'form', string>>;

/**
 * Shows the set-password form when the link is still good, without using it up (chat apps fetch
 * links for previews). The token is in the URL: no referrer leaves this page, nothing is cached.
 */
export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	setHeaders({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
	const account = await locals.core.auth.inspectSignInLink(params.token);
	return account ? { valid: true as const, email: account.email, name: account.name } : { valid: false as const };
};

export const actions: Actions = {
	/**
	 * Password twice → uses up the link, sets the password, signs in, goes to the calendar.
	 * 400 with field errors (too short, the two differ), 410 when the link is used or expired.
	 */
	default: async ({ request, params, locals, cookies, url }) => {
		const form = await request.formData();
		const password = String(form.get('password') ?? '');
		const confirm = String(form.get('confirm') ?? '');
		const errors: SetPasswordErrors = {};
		const checked = passwordSchema.safeParse(password);
		if (!checked.success) errors.password = checked.error.issues[0]?.message ?? 'Choose another password';
		if (password !== confirm) errors.confirm = 'The two passwords are not the same';
		if (errors.password || errors.confirm) return fail(400, { errors });
		try {
			const grant = await locals.core.auth.completeSignInLink({ token: params.token, password });
			setSessionCookie(cookies, url, grant.token, grant.expiresAt);
		} catch (e) {
			if (isDomainError(e, 'invalid_input')) return fail(400, { errors: fieldErrors(e) as SetPasswordErrors });
			if (isDomainError(e, 'unauthorized')) return fail(410, { errors: { form: e.message } as SetPasswordErrors });
			throw e;
		}
		redirect(303, routes.calendar());
	}
};
