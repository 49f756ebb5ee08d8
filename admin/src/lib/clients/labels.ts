/** Words for booking statuses and messengers on the client pages. Browser-safe. */
import type { BookingStatus } from '@chairside/core';

/** A booking status for people. */
export const STATUS_LABELS: Record<BookingStatus, string> = {
	held: 'Held',
	confirmed: 'Confirmed',
	arrived: 'Arrived',
	completed: 'Completed',
	no_show: 'No-show',
	cancelled: 'Cancelled',
	expired: 'Expired'
};

const MESSENGERS: Record<string, string> = {
	telegram: 'Telegram',
	whatsapp: 'WhatsApp',
	viber: 'Viber',
	webchat: 'Web chat',
	web: 'Booking page',
	teams: 'Teams'
};

/** A channel name ("telegram") for people ("Telegram"); unknown names are shown as they are. */
export function messengerLabel(channel: string): string {
	return MESSENGERS[channel] ?? channel;
}

/** A stored birthday ("2000-03-14"; year 2000 = unknown) for people in `locale`: "14 March" or "14 March 1990". */
export function birthdayLabel(birthday: string, locale: string): string {
	const date = new Date(`${birthday}T12:00:00Z`);
	const withYear = !birthday.startsWith('2000-');
	return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' }).format(date);
}
