/**
 * The calendar's live connection (a Svelte 5 rune class): an EventSource on the feed endpoint that
 * calls `onChange` for every `changed` event (see ./feed.ts), and reconnects by itself, always from
 * the version the page currently shows, with a growing pause (3 s up to 30 s) while the server is
 * unreachable. `status` drives the "Live" badge.
 */
import { parseChanged } from './feed';

/** What the badge shows: connected, trying again, or stopped. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** Options of a LiveFeed. */
export interface LiveFeedOptions {
	/** The feed URL for a version (routes.calendarFeed). */
	url: (since: string) => string;
	/** The bookings version the page shows now. */
	version: () => string;
	/** Called with the new version when the salon's bookings changed. */
	onChange: (version: string) => void;
}

export class LiveFeed {
	status: LiveStatus = $state('stopped');
	#source: EventSource | null = null;
	#retry: ReturnType<typeof setTimeout> | undefined;
	#pauseMs = 3000;

	constructor(private readonly options: LiveFeedOptions) {}

	/** Opens the connection (no-op when open). Browser only. */
	start(): void {
		if (this.#source) return;
		clearTimeout(this.#retry);
		this.status = this.status === 'reconnecting' ? 'reconnecting' : 'connecting';
		const source = new EventSource(this.options.url(this.options.version()));
		this.#source = source;
		source.addEventListener('open', () => {
			this.status = 'live';
			this.#pauseMs = 3000;
		});
		source.addEventListener('changed', (event) => {
			const data = parseChanged((event as MessageEvent<string>).data);
			if (data) this.options.onChange(data.version);
		});
		source.addEventListener('error', () => {
			// Reconnect ourselves, so the next connection starts from the version shown by then.
			source.close();
			if (this.#source !== source) return;
			this.#source = null;
			this.status = 'reconnecting';
			this.#retry = setTimeout(() => this.start(), this.#pauseMs);
			this.#pauseMs = Math.min(this.#pauseMs * 2, 30_000);
		});
	}

	/** Closes the connection and stops reconnecting. */
	stop(): void {
		clearTimeout(this.#retry);
		this.#source?.close();
		this.#source = null;
		this.status = 'stopped';
	}
}
