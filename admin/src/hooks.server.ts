import { can, type Permission } from '@chairside/core';
import { error, json, redirect, type Handle, type HandleServerError, type RequestEvent } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import { gate } from '$lib/server/access';
import { channelsFor } from '$lib/server/channels';
import { coreFor } from '$lib/server/core';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '$lib/server/session';

const MESSAGES = {
	401: 'Your session has ended: sign in again',
	403: 'Your role may not do this'
} as const;

/** Refuses a request before any load, action or endpoint runs. */
function deny(event: RequestEvent, status: 401 | 403): Response {
	const code = status === 401 ? 'unauthorized' : 'forbidden';
	// Forms enhanced with use:enhance expect an ActionResult; this one renders the error page.
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		return json({ type: 'error', error: { message: MESSAGES[status], code } }, { status });
	}
	// SvelteKit answers JSON to data requests and fetch(), its error page to browsers.
	error(status, { message: MESSAGES[status], code });
}

/**
 * Every request: finds the Core (see $lib/server/core) and the channel connections (see
 * $lib/server/channels), resolves the session cookie into `locals.account` / `locals.tenant`
 * (renewing the cookie when the session slid, clearing it when it is dead), then applies the gate from $lib/server/access: public paths pass; page navigations
 * without a session go to /signin?next=...; actions and endpoints without a session get 401, and
 * without the section's permission 403, before anything runs.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const core = coreFor(event.platform);
	event.locals.core = core;
	event.locals.channels = channelsFor(event.platform, core);
	const token = event.cookies.get(SESSION_COOKIE) ?? null;
	const auth = token ? await core.auth.authenticate(token) : null;
	event.locals.account = auth?.account ?? null;
	event.locals.tenant = auth?.tenant ?? null;
	event.locals.sessionToken = auth ? token : null;
	if (token && !auth) clearSessionCookie(event.cookies, event.url);
	if (token && auth?.session.renewed) setSessionCookie(event.cookies, event.url, token, auth.session.expiresAt);

	const account = auth?.account;
	const decision = gate({
		pathname: event.url.pathname,
		method: event.request.method,
		isDataRequest: event.isDataRequest,
		accept: event.request.headers.get('accept') ?? '',
		routeExists: event.route.id !== null,
		can: account ? (permission: Permission) => can(account, permission) : null
	});
	if (decision.kind === 'signin') redirect(303, routes.signin(event.url.pathname + event.url.search));
	if (decision.kind === 'deny') return deny(event, decision.status);
	return resolve(event);
};

/** Unexpected errors: logged with the request, shown to people as a generic message. */
export const handleError: HandleServerError = ({ error: e, event, status, message }) => {
	if (status !== 404) console.error(`Admin error on ${event.request.method} ${event.url.pathname}:`, e);
	return { message: status === 404 ? message : 'Something went wrong on our side; it has been logged.' };
};
