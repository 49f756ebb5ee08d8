/**
 * Server side of the public booking page: the salon from the URL, the browser's identity and the
 * held time, both kept in httpOnly cookies.
 *
 * The browser identity works like a messenger user id: core's ClientService registers the typed
 * phone against (channel "web", externalId = this random id), so a returning browser is the same
 * client and a typed phone never links to anyone else's record (the bots' rule).
 */
import { randomBytes } from 'node:crypto';
import { isDomainError, type ClientView, type Core, type TenantView } from '@chairside/core';
import { error, type Cookies } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import { ANY_STAFF } from './steps';

/** The channel name of bookings and identities made on the booking page. */
export const WEB_CHANNEL = 'web';

/** Cookie with the browser's random identity (a year). */
export const WEB_ID_COOKIE = 'chairside_web_id';
/** Cookie with the id of the booking held for this browser, per salon path. */
export const HOLD_COOKIE = 'chairside_hold';

const WEB_ID = /^[A-Za-z0-9_-]{22,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The salon of a booking page URL; an unknown slug is a 404. */
export async function salonFromSlug(core: Core, slug: string): Promise<TenantView> {
	try {
		return await core.catalog.getTenantBySlug(slug);
	} catch (e) {
		if (isDomainError(e, 'not_found')) error(404, { message: 'There is no salon at this address', code: 'not_found' });
		throw e;
	}
}

function cookieOptions(url: URL, path: string, maxAgeSeconds: number) {
	return { path, httpOnly: true, sameSite: 'lax' as const, secure: url.protocol === 'https:', maxAge: maxAgeSeconds };
}

/** The browser's identity, or null on a first visit (or a tampered cookie). */
export function readWebId(cookies: Cookies): string | null {
	const v = cookies.get(WEB_ID_COOKIE);
	return v && WEB_ID.test(v) ? v : null;
}

/** The browser's identity, created (128 random bits, base64url) and stored for a year when missing. */
export function ensureWebId(cookies: Cookies, url: URL): string {
	const existing = readWebId(cookies);
	if (existing) return existing;
	const id = randomBytes(16).toString('base64url');
	cookies.set(WEB_ID_COOKIE, id, cookieOptions(url, routes.book(''), 365 * 24 * 60 * 60));
	return id;
}

/** The client this browser booked as before, or null. */
export async function knownClient(core: Core, tenantId: string, cookies: Cookies): Promise<ClientView | null> {
	const webId = readWebId(cookies);
	return webId ? core.clients.findByIdentity({ tenantId, channel: WEB_CHANNEL, externalId: webId }) : null;
}

/** The booking held for this browser at this salon and the staff choice it was picked with ("any" or an id). */
export interface HeldRef {
	bookingId: string;
	staff: string;
}

/** The booking held for this browser at this salon, or null. */
export function readHold(cookies: Cookies): HeldRef | null {
	const [bookingId, staff] = (cookies.get(HOLD_COOKIE) ?? '').split('~');
	if (!bookingId || !UUID.test(bookingId)) return null;
	return { bookingId, staff: staff === ANY_STAFF || (staff && UUID.test(staff)) ? staff : ANY_STAFF };
}

/** Remembers the held booking for this salon's pages (the cookie lives a little longer than the hold). */
export function setHold(cookies: Cookies, url: URL, slug: string, held: HeldRef, holdMinutes: number): void {
	cookies.set(HOLD_COOKIE, `${held.bookingId}~${held.staff}`, cookieOptions(url, routes.book(slug), (holdMinutes + 60) * 60));
}

/** Forgets the held booking. */
export function clearHold(cookies: Cookies, url: URL, slug: string): void {
	cookies.delete(HOLD_COOKIE, { path: routes.book(slug), httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
}
