import type { Permission } from '@chairside/core';

/**
 * Which paths need no session. Everything else needs one: a new page is protected unless it is
 * added here on purpose. `exact` paths match only themselves; `prefixes` match the path and
 * everything below it.
 */
export const PUBLIC_PATHS = {
	exact: ['/', '/signin', '/signout', '/robots.txt', '/favicon.svg', '/favicon.png', '/favicon.ico'],
	prefixes: ['/auth/link', '/book', '/_app']
} as const;

/**
 * The permission each admin section needs, by path prefix (the longest matching prefix wins, so
 * a more specific entry such as ['/clients/lookup', 'clients:lookup'] may open a corner of a
 * section to more roles). Paths under no entry need a session only. Checked for every request by
 * hooks.server.ts and, for pages, by the (app) layout (which shows the 403 inside the shell).
 */
export const SECTION_PERMISSIONS: ReadonlyArray<readonly [prefix: string, permission: Permission]> = [
	['/calendar', 'calendar:own'],
	['/pos', 'pos'],
	['/clients', 'clients'],
	// Staff find or add a client while booking or checking out (JSON; see routes.clientLookup).
	['/clients/lookup', 'clients:lookup'],
	['/inventory', 'inventory'],
	['/reports', 'reports'],
	['/notifications', 'notifications'],
	['/settings', 'settings'],
	// Owners and managers link their own Telegram chat for owner commands and alerts.
	['/settings/telegram', 'owner:telegram']
];

function under(pathname: string, prefix: string): boolean {
	return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** True when `pathname` is served without a session. */
export function isPublicPath(pathname: string): boolean {
	return (PUBLIC_PATHS.exact as readonly string[]).includes(pathname) || PUBLIC_PATHS.prefixes.some((p) => under(pathname, p));
}

/** The permission `pathname` needs (see SECTION_PERMISSIONS), or null when a session is enough. */
export function permissionForPath(pathname: string): Permission | null {
	let best: readonly [string, Permission] | null = null;
	for (const entry of SECTION_PERMISSIONS) {
		if (under(pathname, entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
	}
	return best ? best[1] : null;
}

/** What the request gate decides. */
export type GateDecision =
	| { kind: 'pass' }
	/** A page navigation without a session: send the browser to the sign-in page. */
	| { kind: 'signin' }
	/** Refuse without running any load, action or endpoint. */
	| { kind: 'deny'; status: 401 | 403 };

/** The parts of a request the gate looks at. */
export interface GateRequest {
	pathname: string;
	method: string;
	/** SvelteKit's client-side navigation request for load data (`/path/__data.json`). */
	isDataRequest: boolean;
	/** The Accept header, or '' */
	accept: string;
	/** False when no route matches the path (SvelteKit's event.route.id is null). */
	routeExists: boolean;
	/** The signed-in account's permission check, or null without a session. */
	can: ((permission: Permission) => boolean) | null;
}

/**
 * The gate in front of every admin request. Public paths pass. Without a session, page
 * navigations (GET/HEAD of HTML or load data) go to the sign-in page and everything else (form
 * actions, endpoints, other methods) is refused with 401. With a session but without the section's
 * permission, HTML page requests for an existing route pass (the (app) layout answers 403 with the
 * app's error page) and everything else is refused with 403. Refused requests never reach a load,
 * action or endpoint.
 */
export function gate(request: GateRequest): GateDecision {
	if (isPublicPath(request.pathname)) return { kind: 'pass' };
	const read = request.method === 'GET' || request.method === 'HEAD';
	const pageNavigation = read && (request.isDataRequest || request.accept.includes('text/html'));
	if (!request.can) return pageNavigation ? { kind: 'signin' } : { kind: 'deny', status: 401 };
	const permission = permissionForPath(request.pathname);
	if (permission && !request.can(permission)) {
		return pageNavigation && !request.isDataRequest && request.routeExists ? { kind: 'pass' } : { kind: 'deny', status: 403 };
	}
	return { kind: 'pass' };
}
