import { can, PERMISSIONS } from '@chairside/core';
import { error, redirect } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import { permissionForPath } from '$lib/server/access';
import type { LayoutServerLoad } from './$types';

/**
 * The signed-in shell's data. Without a session: to /signin?next=<this page>. Without the
 * section's permission (see SECTION_PERMISSIONS): 403. Pages below still check their own
 * permission with requirePermission (their loads run in parallel with this one).
 */
export const load: LayoutServerLoad = ({ locals, url }) => {
	const { account, tenant } = locals;
	if (!account || !tenant) redirect(303, routes.signin(url.pathname + url.search));
	const permission = permissionForPath(url.pathname);
	if (permission && !can(account, permission)) {
		error(403, { message: `Your role (${account.role}) may not open this page`, code: 'forbidden' });
	}
	return {
		account: { name: account.name, email: account.email, role: account.role },
		tenant: { name: tenant.name, slug: tenant.slug, timeZone: tenant.timeZone, locale: tenant.locale, currency: tenant.currency },
		permissions: PERMISSIONS.filter((p) => can(account, p))
	};
};
