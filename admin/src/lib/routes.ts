/**
 * Typed route builders: every link, redirect and form action in the admin is built here instead of
 * written as a string, so a moved page is one edit and a missing parameter is a type error.
 * Path parameters are URL-encoded; optional query parameters are left out when undefined.
 */

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query: Query = {}): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
	const search = params.toString();
	return search ? `${path}?${search}` : path;
}

const seg = encodeURIComponent;

/** Calendar views. */
export type CalendarView = 'day' | 'week';

export const routes = {
	/** Start page: sends to the calendar or the sign-in page. */
	home: () => '/',
	/** Sign-in page; `next` is the path to return to afterwards. */
	signin: (next?: string) => withQuery('/signin', { next }),
	/** POST here (a form) to sign out. */
	signout: () => '/signout',
	/** A one-time sign-in link (set a password). */
	signInLink: (token: string) => `/auth/link/${seg(token)}`,
	/** Calendar; `date` is a local date "YYYY-MM-DD" in the salon's zone. */
	calendar: (options: { date?: string; view?: CalendarView } = {}) => withQuery('/calendar', options),
	/** Point of sale. */
	pos: () => '/pos',
	/** Clients, optionally filtered by a search text. */
	clients: (options: { q?: string } = {}) => withQuery('/clients', options),
	/** One client's page. */
	client: (id: string) => `/clients/${seg(id)}`,
	/** Inventory: products and stock. */
	inventory: () => '/inventory',
	/** One product. */
	product: (id: string) => `/inventory/${seg(id)}`,
	/** Salon settings (owners). */
	settings: () => '/settings',
	/** Reports. */
	reports: () => '/reports',
	/** The public booking page of a salon. */
	book: (slug: string) => `/book/${seg(slug)}`
} as const;
