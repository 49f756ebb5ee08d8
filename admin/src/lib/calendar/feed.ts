/**
 * The calendar's live feed: the typed map of server-sent events that GET routes.calendarFeed()
 * streams (text/event-stream), with the one encoder the server uses and the one parser the page
 * uses, so both sides agree on names and payloads. Pure; safe in the browser.
 */

/** Event name → data of every server-sent event of the calendar feed. */
export interface FeedEventMap {
	/** The salon's bookings changed (any writer: this admin, a bot, another process); refetch. */
	changed: { version: string };
}

/** A feed event name. */
export type FeedEventName = keyof FeedEventMap;

/** One server-sent event in the wire format (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export function encodeFeedEvent<K extends FeedEventName>(name: K, data: FeedEventMap[K]): string {
	return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: ignored by EventSource, keeps proxies from closing an idle stream. */
export const FEED_KEEPALIVE = ': keep-alive\n\n';

/** Tells EventSource how long to wait before reconnecting on its own, in milliseconds. */
export function feedRetry(ms: number): string {
	return `retry: ${Math.round(ms)}\n\n`;
}

/** The data of a `changed` event, or null when it is not one (a malformed or foreign message). */
export function parseChanged(data: string): FeedEventMap['changed'] | null {
	try {
		const value: unknown = JSON.parse(data);
		if (value && typeof value === 'object' && typeof (value as { version?: unknown }).version === 'string') {
			return { version: (value as { version: string }).version };
		}
	} catch {
		// not JSON
	}
	return null;
}
