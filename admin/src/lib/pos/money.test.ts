import { parseMoneyInput } from '@chairside/core';
import { describe, expect, it } from 'vitest';
import { currencyDigits, parseMoney, toMoneyInput } from './money';

describe('money inputs', () => {
	it('reads dots, commas and grouping into minor units', () => {
		const cases: [string, number][] = [
			['12.50', 1250],
			['12,50', 1250],
			['12', 1200],
			['12.5', 1250],
			[' 0,05 ', 5],
			['1 234,50', 123450],
			['1.234,50', 123450],
			['1,234.50', 123450],
			['1.500', 150000],
			['kr 12,50', 1250],
			['450,00 kr.', 45000],
			['€3', 300],
			['0', 0]
		];
		for (const [text, minor] of cases) expect([text, parseMoney(text, 2)]).toEqual([text, { minor }]);
	});

	it('refuses what is not an amount, and blank is null', () => {
		expect(parseMoney('', 2)).toBeNull();
		expect(parseMoney('   ', 2)).toBeNull();
		expect(parseMoney(undefined, 2)).toBeNull();
		expect(parseMoney('-5', 2)).toEqual({ error: 'Enter an amount of 0 or more' });
		expect(parseMoney('12.345', 3)).toEqual({ minor: 12345 });
		expect(parseMoney('1.2.3', 2)).toEqual({ error: '"1.2.3" is not an amount' });
		expect(parseMoney('abc', 2)).toEqual({ error: '"abc" is not an amount' });
		expect(parseMoney('12 pieces', 2)).toEqual({ error: '"12 pieces" is not an amount' });
		expect(parseMoney('1.25', 0)).toEqual({ error: 'Enter a whole amount' });
		expect(parseMoney('1,255', 3)).toEqual({ minor: 1255 });
		expect(parseMoney('0,1234', 2)).toEqual({ error: 'Use at most 2 decimals' });
		// Three digits after one separator group thousands, as in core: "0.125" is 125.
		expect(parseMoney('0.125', 2)).toEqual({ minor: 12500 });
		expect(parseMoney('99999999999', 2)).toEqual({ error: 'The amount is too large' });
	});

	it('agrees with core on what is an amount and what it is worth', () => {
		const inputs = ['12.50', '12,50', '1 234,50', '1.234,50', '1,234.50', '1.500', '1,5', '0,05', 'kr. 99', 'DKK 1.000,00', '1.2.3', '1,23,456', '12.345', '-1', 'x1'];
		for (const digits of [0, 2, 3]) {
			for (const text of inputs) {
				const core = parseMoneyInput(text, digits);
				const ours = parseMoney(text, digits);
				expect([text, digits, ours !== null && 'minor' in ours ? ours.minor : 'error']).toEqual([
					text,
					digits,
					core !== null && 'minor' in core ? core.minor : 'error'
				]);
			}
		}
	});

	it('writes minor units back for an input, in the locale, and reads them again', () => {
		expect(currencyDigits('DKK')).toBe(2);
		expect(currencyDigits('JPY')).toBe(0);
		expect(currencyDigits('KWD')).toBe(3);
		expect(toMoneyInput(45000, 'DKK', 'da-DK')).toBe('450,00');
		expect(toMoneyInput(123456, 'EUR', 'en')).toBe('1234.56');
		expect(toMoneyInput(1500, 'JPY', 'ja-JP')).toBe('1500');
		for (const [minor, currency, locale] of [
			[123456, 'DKK', 'da-DK'],
			[5, 'EUR', 'de-DE'],
			[1234567, 'KWD', 'en']
		] as const) {
			expect(parseMoney(toMoneyInput(minor, currency, locale), currencyDigits(currency))).toEqual({ minor });
		}
	});
});
