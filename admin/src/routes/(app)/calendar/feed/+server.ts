import { requirePermission } from '$lib/server/guards';
import { encodeFeedEvent, FEED_KEEPALIVE, feedRetry } from '$lib/calendar/feed';
import { bookingFeedFor } from '$lib/calendar/feed.server';
import type { RequestHandler } from './$types';

/** A comment every 25 s keeps proxies and browsers from dropping an idle stream. */
const KEEPALIVE_MS = 25_000;
/**
 * A stream ends after 10 minutes; the page reconnects at once. Each connection passes the session
 * check again, so a signed-out or disabled account stops getting notices within that time.
 */
const MAX_AGE_MS = 10 * 60_000;

/**
 * The calendar's live feed (server-sent events, see $lib/calendar/feed for the event map): a
 * `changed` event whenever the signed-in salon's bookings change, from any writer. `?since=<version>`
 * (the version the page was rendered with) makes a change in between arrive at once. Notices carry
 * only the version, no booking data, so every account with "calendar:own" may listen. The poll
 * subscription, keep-alive and age timers end when the browser goes away.
 */
export const GET: RequestHandler = ({ locals, url, request }) => {
	const { tenant, core } = requirePermission(locals, 'calendar:own');
	const feed = bookingFeedFor(core);
	const encoder = new TextEncoder();
	let stop = () => {};

	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			let open = true;
			const send = (text: string) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					stop();
				}
			};
			const unsubscribe = feed.subscribe(tenant.id, (n) => send(encodeFeedEvent('changed', { version: n.version })), {
				since: url.searchParams.get('since')
			});
			const keepalive = setInterval(() => send(FEED_KEEPALIVE), KEEPALIVE_MS);
			const maxAge = setTimeout(() => {
				stop();
				try {
					controller.close();
				} catch {
					// already closed
				}
			}, MAX_AGE_MS);
			stop = () => {
				if (!open) return;
				open = false;
				unsubscribe();
				clearInterval(keepalive);
				clearTimeout(maxAge);
			};
			request.signal.addEventListener('abort', () => stop(), { once: true });
			send(feedRetry(3000));
		},
		cancel() {
			stop();
		}
	});

	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			// Tell nginx-style proxies not to buffer the stream.
			'x-accel-buffering': 'no'
		}
	});
};
