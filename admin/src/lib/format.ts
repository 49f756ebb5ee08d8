/**
 * Dates and money for people, in the salon's locale, time zone and currency. Safe in the browser
 * (imports only core's dependency-free money module).
 */
import { formatMoney as coreFormatMoney } from '@chairside/core/money';

/** An instant: a Date, epoch milliseconds or an ISO 8601 string with an offset. */
export type Instant = Date | number | string;

function toDate(instant: Instant): Date {
	return instant instanceof Date ? instant : new Date(instant);
}

/**
 * Date and time of an instant as the salon's clock shows it, e.g.
 * formatDateTime("2030-03-04T08:00:00Z", "Europe/Copenhagen", "en") → "Mon, 4 Mar 2030, 09:00".
 */
export function formatDateTime(instant: Instant, zone: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, {
		timeZone: zone,
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit'
	}).format(toDate(instant));
}

/** The local date of an instant, e.g. "Mon, 4 Mar 2030". */
export function formatDate(instant: Instant, zone: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(
		toDate(instant)
	);
}

/** The local time of an instant, e.g. "09:00". */
export function formatTime(instant: Instant, zone: string, locale: string): string {
	return new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(toDate(instant));
}

/** Money from minor units, e.g. formatMoney(45000, "DKK", "da-DK") → "450,00 kr.". */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
	return coreFormatMoney({ amountMinor, currency }, locale);
}
