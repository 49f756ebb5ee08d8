import { describe, expect, it } from 'vitest';
import { parsePriceInput, priceInputValue } from './money.server';

describe('price inputs', () => {
	it('reads typed prices into minor units of the currency', () => {
		expect(parsePriceInput('450', 'DKK')).toEqual({ minor: 45000 });
		expect(parsePriceInput('450,50', 'DKK')).toEqual({ minor: 45050 });
		expect(parsePriceInput('1 234.50', 'EUR')).toEqual({ minor: 123450 });
		expect(parsePriceInput('kr 99', 'DKK')).toEqual({ minor: 9900 });
		expect(parsePriceInput('1500', 'JPY')).toEqual({ minor: 1500 });
		expect(parsePriceInput('0', 'DKK')).toEqual({ minor: 0 });
	});

	it('says what is wrong with a bad price', () => {
		expect(parsePriceInput('', 'DKK')).toEqual({ error: 'Enter a price' });
		expect(parsePriceInput('   ', 'DKK')).toEqual({ error: 'Enter a price' });
		expect(parsePriceInput('-5', 'DKK')).toEqual({ error: 'The price must be an amount of 0 or more' });
		expect(parsePriceInput('abc', 'DKK')).toEqual({ error: 'Enter an amount such as 450.00' });
		expect(parsePriceInput('12..5', 'EUR')).toEqual({ error: 'Enter an amount such as 450.00' });
		expect(parsePriceInput('1.500', 'DKK')).toEqual({ minor: 150000 });
		expect(parsePriceInput('10.5', 'JPY')).toEqual({ error: 'The price has more than 0 decimals' });
	});

	it('shows minor units as a plain input value', () => {
		expect(priceInputValue(45000, 'DKK')).toBe('450.00');
		expect(priceInputValue(5, 'EUR')).toBe('0.05');
		expect(priceInputValue(1500, 'JPY')).toBe('1500');
		for (const minor of [0, 1, 99, 45050, 123456789]) expect(parsePriceInput(priceInputValue(minor, 'DKK'), 'DKK')).toEqual({ minor });
	});
});
