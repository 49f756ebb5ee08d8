import type { Cookies } from '@sveltejs/kit';

/** Name of the cookie that carries the session token (the database keeps only its sha256). */
export const SESSION_COOKIE = 'chairside_session';

/**
 * Stores a session token: httpOnly (no script can read it), SameSite=Lax (not sent on cross-site
 * POSTs), Secure when the admin is served over https, for the whole site, until `expiresAt`.
 */
export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires: expiresAt
	});
}

/** Removes the session cookie (with the same attributes it was set with). */
export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
}

/**
 * Where to go after signing in: `next` when it is a path on this site ("/clients?q=an"), else
 * `fallback`. Refuses absolute and protocol-relative URLs ("//evil.example") so the sign-in page
 * cannot be used to send people elsewhere.
 */
export function safeNext(next: string | null | undefined, fallback: string): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
	return next;
}
