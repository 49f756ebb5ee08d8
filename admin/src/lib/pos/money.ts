/**
 * Money typed by people, for the browser and the server alike (no dependencies): parsing an input
 * such as "12.50", "12,50" or "1 234,50" into integer minor units, and writing minor units back
 * into an input. Mirrors core's `parseMoneyInput` (core/src/inventory/import.ts, which cannot be
 * bundled for the browser); money.test.ts checks the two agree.
 */

/** The result of parsing a money input: minor units, an error message, or null for a blank input. */
export type MoneyParse = { minor: number } | { error: string } | null;

/** Largest amount accepted, minor units (the same cap as core's schemas). */
export const MAX_MINOR = 1_000_000_000;

/** The number of minor digits of an ISO 4217 currency (DKK 2, JPY 0, KWD 3), per Intl.NumberFormat. */
export function currencyDigits(currency: string): number {
	return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Reads an amount into minor units with `digits` decimals: "12.50", "12,50", "1 234,50",
 * "1.234,50", "1,234.50", "kr 12,50", "12". One separator followed by exactly three digits (with
 * fewer than three minor digits) groups thousands: "1.500" = 1500 units. Blank → null; anything
 * else that is not an amount of 0 or more with at most `digits` decimals → { error }.
 */
export function parseMoney(text: string | null | undefined, digits: number): MoneyParse {
	const raw = (text ?? '').trim();
	if (raw === '') return null;
	if (raw.includes('-')) return { error: 'Enter an amount of 0 or more' };
	const number = /\d(?:[\d.,\s'’]*\d)?/u.exec(raw);
	const rest = number ? raw.slice(0, number.index) + raw.slice(number.index + number[0].length) : raw;
	// Around the number only a currency symbol or code may stand ("kr.", "€", "DKK").
	if (!number || !/^\p{L}{0,3}$/u.test(rest.replace(/[\s\p{Sc}.]/gu, ''))) return { error: `"${raw}" is not an amount` };
	const s = number[0].replace(/[\s'’]/g, '');
	let groups: string[];
	let fraction = '';
	const lastDot = s.lastIndexOf('.');
	const lastComma = s.lastIndexOf(',');
	if (lastDot >= 0 && lastComma >= 0) {
		const at = Math.max(lastDot, lastComma);
		groups = s.slice(0, at).split(s[at] === '.' ? ',' : '.');
		fraction = s.slice(at + 1);
	} else if (lastDot >= 0 || lastComma >= 0) {
		const parts = s.split(lastDot >= 0 ? '.' : ',');
		const last = parts[parts.length - 1] ?? '';
		if (parts.length > 2 || (last.length === 3 && digits < 3)) {
			groups = parts;
		} else {
			groups = [parts[0] ?? ''];
			fraction = last;
		}
	} else {
		groups = [s];
	}
	const grouped = groups.length === 1 || (/^\d{1,3}$/.test(groups[0] ?? '') && groups.slice(1).every((g) => /^\d{3}$/.test(g)));
	const whole = groups.join('');
	if (!grouped || !/^\d*$/.test(whole) || !/^\d*$/.test(fraction) || (whole === '' && fraction === '')) {
		return { error: `"${raw}" is not an amount` };
	}
	fraction = fraction.replace(/0+$/, '');
	if (fraction.length > digits) return { error: digits === 0 ? 'Enter a whole amount' : `Use at most ${digits} decimals` };
	const minor = Number(whole || '0') * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
	if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) return { error: 'The amount is too large' };
	return { minor };
}

/**
 * Minor units written for an input field, without grouping or symbol, with the locale's decimal
 * separator: toMoneyInput(45000, "DKK", "da-DK") → "450,00"; "en" → "450.00". `parseMoney` reads it back.
 */
export function toMoneyInput(amountMinor: number, currency: string, locale: string): string {
	const digits = currencyDigits(currency);
	return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(
		amountMinor / 10 ** digits
	);
}
