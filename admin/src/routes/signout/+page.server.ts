import { redirect } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

/** GET shows a confirmation (signing out only ever happens by POST, so a link cannot do it). */
export const load: PageServerLoad = ({ locals }) => ({ signedIn: locals.account !== null });

export const actions: Actions = {
	/** Ends the session (database row and cookie) and goes to the sign-in page. */
	default: async ({ locals, cookies, url }) => {
		await locals.core.auth.signOut(cookies.get(SESSION_COOKIE));
		clearSessionCookie(cookies, url);
		redirect(303, routes.signin());
	}
};
