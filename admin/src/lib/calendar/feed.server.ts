import { BookingFeed, type Core } from '@chairside/core';

const feeds = new WeakMap<Core, BookingFeed>();

/**
 * The booking change feed of a Core: one per Core (so one poller per server process, however many
 * calendars are open), created on first use. See BookingFeed in core for why it polls.
 */
export function bookingFeedFor(core: Core): BookingFeed {
	let feed = feeds.get(core);
	if (!feed) {
		feed = new BookingFeed(core.prisma, {
			onError: (e) => console.error('Calendar feed: could not read booking changes', e)
		});
		feeds.set(core, feed);
	}
	return feed;
}
