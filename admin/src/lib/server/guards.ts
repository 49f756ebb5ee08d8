import { can, type AccountView, type Core, type Permission, type TenantView } from '@chairside/core';
import { error } from '@sveltejs/kit';

/** A signed-in request's context: the account, its salon and the domain services. */
export interface SignedIn {
	account: AccountView;
	tenant: TenantView;
	core: Core;
}

/** Throws SvelteKit error(401) when nobody is signed in; returns the signed-in context. */
export function requireAccount(locals: App.Locals): SignedIn {
	if (!locals.account || !locals.tenant) error(401, { message: 'Sign in to continue', code: 'unauthorized' });
	return { account: locals.account, tenant: locals.tenant, core: locals.core };
}

/**
 * For loads, actions and endpoints: throws error(401) without a session and error(403) when the
 * account's role lacks `permission` (see ROLE_PERMISSIONS in core); returns the signed-in context.
 */
export function requirePermission(locals: App.Locals, permission: Permission): SignedIn {
	const signedIn = requireAccount(locals);
	if (!can(signedIn.account, permission)) {
		error(403, { message: `Your role (${signedIn.account.role}) may not use this page`, code: 'forbidden' });
	}
	return signedIn;
}
