import { redirect } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import type { PageServerLoad } from './$types';

/** The start page: the calendar when signed in, the sign-in page otherwise. */
export const load: PageServerLoad = ({ locals }) => {
	redirect(303, locals.account ? routes.calendar() : routes.signin());
};
