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
	/** The calendar's live feed of booking changes (text/event-stream); `since` is the bookings version the page has. */
	calendarFeed: (since?: string) => withQuery('/calendar/feed', { since }),
	/** Client search for the calendar's booking form (JSON, needs "clients:lookup"). */
	calendarClients: (q: string) => withQuery('/calendar/clients', { q }),
	/** One booking's details and history for the calendar (JSON). */
	calendarBooking: (id: string) => `/calendar/bookings/${seg(id)}`,
	/** Point of sale. */
	pos: () => '/pos',
	/** Check out a booking: its service pre-filled. */
	checkout: (bookingId: string) => `/pos/checkout/${seg(bookingId)}`,
	/** A sale without a booking. */
	newSale: () => '/pos/checkout',
	/** A sale's receipt (and refunds). */
	sale: (saleId: string) => `/pos/sales/${seg(saleId)}`,
	/** Clients, optionally filtered by a search text. */
	clients: (options: { q?: string } = {}) => withQuery('/clients', options),
	/** One client's page; `notice` shows what was just done there. */
	client: (id: string, options: { notice?: 'saved' | 'merged' } = {}) => withQuery(`/clients/${seg(id)}`, options),
	/** Edit a client's details. */
	clientEdit: (id: string) => `/clients/${seg(id)}/edit`,
	/** Merge a duplicate into this client: `q` searches for it, `with` previews merging that one. */
	clientMerge: (id: string, options: { q?: string; with?: string } = {}) => withQuery(`/clients/${seg(id)}/merge`, options),
	/** Staff lookup (JSON, "clients:lookup"): GET ?q= finds clients, POST { name, phone } adds one. */
	clientLookup: (options: { q?: string } = {}) => withQuery('/clients/lookup', options),
	/** Inventory: products and stock. */
	inventory: (options: { q?: string; low?: boolean; archived?: boolean } = {}) =>
		withQuery('/inventory', { q: options.q, low: options.low ? 1 : undefined, archived: options.archived ? 1 : undefined }),
	/** A new product. */
	newProduct: () => '/inventory/new',
	/** Import products from an .xlsx or CSV file. */
	importProducts: () => '/inventory/import',
	/** Download every product as an .xlsx or CSV file. */
	exportProducts: (format: 'xlsx' | 'csv') => `/inventory/export/${format}`,
	/** One product. */
	product: (id: string) => `/inventory/${seg(id)}`,
	/** Salon settings (owners). */
	settings: () => '/settings',
	/** Services (owners). */
	settingsServices: () => '/settings/services',
	/** A new service. */
	settingsNewService: () => '/settings/services/new',
	/** One service. */
	settingsService: (id: string) => `/settings/services/${seg(id)}`,
	/** Staff (owners). */
	settingsStaff: () => '/settings/staff',
	/** One staff member: services, hours, date overrides, time off. */
	settingsStaffMember: (id: string) => `/settings/staff/${seg(id)}`,
	/** Sign-in accounts of the salon's people (owners): invite, new sign-in links. */
	settingsAccounts: () => '/settings/accounts',
	/** The owner's Telegram (owners, managers): a one-time pairing code, linked chats, the daily summary. */
	settingsTelegram: () => '/settings/telegram',
	/** The outbox (owners, managers): every message to clients, by `status` and `channel`; `page` is 1-based (1 is left out). */
	notifications: (options: { status?: string; channel?: string; page?: number } = {}) =>
		withQuery('/notifications', { status: options.status, channel: options.channel, page: options.page && options.page > 1 ? options.page : undefined }),
	/** The reminder sequence (owners): which messages go, offsets, quiet hours, review link, no-shows, own texts in `lang`. */
	settingsNotifications: (options: { lang?: string } = {}) => withQuery('/settings/notifications', options),
	/** WhatsApp templates per message kind (owners): name, language, ordered parameters. */
	settingsTemplates: () => '/settings/templates',
	/** The salon's messengers (owners): connect, replace, disable and enable Telegram, WhatsApp and Viber; the web chat's URL. */
	settingsChannels: () => '/settings/channels',
	/** Reports. */
	reports: (options: { date?: string } = {}) => withQuery('/reports', options),
	/**
	 * The public booking page of a salon; the query says how far the visitor got: `service`, then
	 * `staff` (an id or "any"), then `date` ("YYYY-MM-DD" local). `taken` (an ISO instant) and
	 * `alt` (ISO instants, comma-separated) show a slot that was just taken and its alternatives.
	 */
	book: (slug: string, options: { service?: string; staff?: string; date?: string; taken?: string; alt?: string; lost?: 1 } = {}) =>
		withQuery(`/book/${seg(slug)}`, options),
	/** The public booking page's chat: the web chat widget (Bot Framework Activities to the server). */
	bookChat: (slug: string) => `/book/${seg(slug)}/chat`,
	/** The public booking page's contact step for the held time (the hold is in a cookie). */
	bookDetails: (slug: string) => `/book/${seg(slug)}/details`,
	/** The public booking page's confirmation of a booking. */
	bookDone: (slug: string, bookingId: string) => `/book/${seg(slug)}/done/${seg(bookingId)}`,
	/** A named form action on a page URL that may carry a query: formAction('/x?a=1', 'hold') → '/x?a=1&/hold'. */
	formAction: (href: string, action: string) => `${href}${href.includes('?') ? '&' : '?'}/${action}`
} as const;
