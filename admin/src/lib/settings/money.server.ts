/**
 * Prices typed by owners (settings forms) ↔ integer minor units of the salon's currency.
 * Server-side: reading leans on core's `parseMoneyInput` (the same reader as the product import).
 */
import { minorDigits, parseMoneyInput } from '@chairside/core';

/**
 * A typed price ("450", "450,50", "1 234.50", "kr 450") → minor units of `currency`, or a message
 * for the field: blank, negative, not an amount, more decimals than the currency has, too large.
 */
export function parsePriceInput(text: string, currency: string): { minor: number } | { error: string } {
	const digits = minorDigits(currency);
	const result = parseMoneyInput(text, digits);
	if (result === null) return { error: 'Enter a price' };
	if ('error' in result) {
		return { error: result.error.startsWith('"') ? `Enter an amount such as ${priceInputValue(45000, currency)}` : `The price ${result.error}` };
	}
	return result;
}

/** Minor units → the plain value a price input shows: 45000 DKK → "450.00", 1500 JPY → "1500". */
export function priceInputValue(minor: number, currency: string): string {
	const digits = minorDigits(currency);
	return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits);
}
