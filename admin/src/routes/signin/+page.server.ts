import { isDomainError } from '@chairside/core';
import { fail, redirect } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import { fieldErrors } from '$lib/server/errors';
import { safeNext, setSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

/** Field errors of the sign-in form: `form` is for the whole form (wrong password, rate limit). */
export type SignInErrors = Partial<Record<'email' | 'password' | 'form', string>>;

/** Already signed in: go on to `next` (or the calendar). */
export const load: PageServerLoad = ({ locals, url }) => {
	const next = url.searchParams.get('next') ?? '';
	if (locals.account) redirect(303, safeNext(next, routes.calendar()));
	return { next };
};

export const actions: Actions = {
	/**
	 * Email + password → session cookie → `next`. Answers 400 with field errors for empty fields,
	 * 401 for a wrong email or password, 429 (with retryAfterSeconds) when rate limited.
	 */
	default: async ({ request, locals, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const password = String(form.get('password') ?? '');
		const next = String(form.get('next') ?? '');
		let ip = 'unknown';
		try {
			ip = getClientAddress();
		} catch {
			// No address (an unusual adapter setup): all such requests share the 'unknown' IP limit.
		}
		try {
			const grant = await locals.core.auth.signIn({ email, password, ip });
			setSessionCookie(cookies, url, grant.token, grant.expiresAt);
		} catch (e) {
			if (isDomainError(e, 'invalid_input')) return fail(400, { email, errors: fieldErrors(e) as SignInErrors });
			if (isDomainError(e, 'unauthorized')) return fail(401, { email, errors: { form: e.message } as SignInErrors });
			if (isDomainError(e, 'rate_limited')) {
				const { retryAfterSeconds } = e.details as { retryAfterSeconds: number };
				return fail(429, { email, errors: { form: e.message } as SignInErrors, retryAfterSeconds });
			}
			throw e;
		}
		redirect(303, safeNext(next, routes.calendar()));
	}
};
