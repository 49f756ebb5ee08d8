/**
 * State of the new-booking form (a Svelte 5 rune class): the column, date and time from the click,
 * the services that staff member performs, the client search (debounced, via the calendar's client
 * endpoint), a new client's name and phone, and the server's field errors and offered times.
 */
import type { Alternative, CalendarService, StaffColumn } from './types';
import type { NewBookingDraft } from './calendar-ui.svelte';

/** A client found by the search. */
export interface FoundClient {
	id: string;
	name: string;
	phone: string | null;
}

/** What the `book` action answers on failure. */
export interface BookFailure {
	errors?: Record<string, string>;
	alternatives?: Alternative[];
	clientId?: string;
	values?: Record<string, string>;
}

export class BookingFormState {
	staffId: string = $state('');
	date: string = $state('');
	time: string = $state('');
	serviceId: string = $state('');
	client: 'existing' | 'new' = $state('existing');
	query: string = $state('');
	results: FoundClient[] = $state([]);
	searching = $state(false);
	/** The chosen existing client. */
	chosen: FoundClient | null = $state(null);
	clientName = $state('');
	clientPhone = $state('');
	errors: Record<string, string> = $state({});
	alternatives: Alternative[] = $state([]);
	submitting = $state(false);

	#timer: ReturnType<typeof setTimeout> | undefined;
	#seq = 0;

	constructor(
		draft: NewBookingDraft,
		private readonly staff: () => StaffColumn[],
		private readonly services: () => CalendarService[],
		private readonly searchUrl: (q: string) => string
	) {
		this.staffId = draft.staffId;
		this.date = draft.date;
		this.time = draft.time;
	}

	/** The chosen column's staff member. */
	get member(): StaffColumn | null {
		return this.staff().find((s) => s.id === this.staffId) ?? null;
	}

	/** Services the chosen staff member performs. */
	get offered(): CalendarService[] {
		const member = this.member;
		return this.services().filter((s) => member?.serviceIds.includes(s.id));
	}

	/** Keeps the service valid for the chosen staff member. */
	fixService(): void {
		if (this.serviceId && !this.offered.some((s) => s.id === this.serviceId)) this.serviceId = '';
	}

	/** Searches clients after a short pause in typing; only the latest answer counts. */
	search(): void {
		clearTimeout(this.#timer);
		const q = this.query.trim();
		if (q.length < 2) {
			this.results = [];
			this.searching = false;
			return;
		}
		this.searching = true;
		this.#timer = setTimeout(async () => {
			const seq = ++this.#seq;
			try {
				const res = await fetch(this.searchUrl(q), { headers: { accept: 'application/json' } });
				const body = res.ok ? ((await res.json()) as { clients: FoundClient[] }) : { clients: [] };
				if (seq === this.#seq) this.results = body.clients;
			} finally {
				if (seq === this.#seq) this.searching = false;
			}
		}, 250);
	}

	/** Picks a found client. */
	choose(client: FoundClient): void {
		this.chosen = client;
		this.client = 'existing';
		delete this.errors.clientId;
	}

	/** Takes an offered time (and its column when the current one is not free then). */
	take(alternative: Alternative): void {
		this.date = alternative.start.slice(0, 10);
		this.time = alternative.start.slice(11, 16);
		if (!alternative.staffIds.includes(this.staffId) && alternative.staffIds[0]) this.staffId = alternative.staffIds[0];
		this.alternatives = [];
		this.errors = {};
	}

	/** Shows the server's answer to a refused booking. A new client it created becomes the chosen one. */
	failed(failure: BookFailure): void {
		this.errors = failure.errors ?? {};
		this.alternatives = failure.alternatives ?? [];
		if (failure.clientId && this.client === 'new') {
			this.chosen = { id: failure.clientId, name: this.clientName, phone: this.clientPhone };
			this.client = 'existing';
		}
	}
}
