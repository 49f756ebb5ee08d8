import { describe, expect, it } from 'vitest';
import { parseCheckoutForm } from './checkout-form';
import { parseRefundForm } from './refund-form';

const ID = '00000000-0000-4000-8000-000000000001';
const ID2 = '00000000-0000-4000-8000-000000000002';
const form = (entries: [string, string][]) => {
	const f = new FormData();
	for (const [k, v] of entries) f.append(k, v);
	return f;
};

describe('the checkout form', () => {
	const base: [string, string][] = [
		['currency', 'DKK'],
		['line.kind', 'service'],
		['line.id', ID],
		['line.quantity', '1'],
		['line.kind', 'product'],
		['line.id', ID2],
		['line.quantity', '2']
	];

	it('reads lines, money typed either way, split payments and the payment being entered', () => {
		const parsed = parseCheckoutForm(
			form([
				...base,
				['discount', '10,50'],
				['tip', ''],
				['split.method', 'card'],
				['split.amount', '100.00'],
				['split.tendered', ''],
				['method', 'cash'],
				['amount', '50'],
				['tendered', '100']
			]),
			2
		);
		expect(parsed).toEqual({
			ok: true,
			value: {
				lines: [
					{ kind: 'service', serviceId: ID, quantity: 1 },
					{ kind: 'product', productId: ID2, quantity: 2 }
				],
				discountMinor: 10_50,
				tipMinor: 0,
				payments: [
					{ method: 'card', amountMinor: 100_00 },
					{ method: 'cash', amountMinor: 50_00, tenderedMinor: 100_00 }
				],
				currency: 'DKK'
			}
		});
	});

	it('leaves out a blank or zero payment and ignores tendered cash on a card payment', () => {
		const blank = parseCheckoutForm(form([...base, ['method', 'card'], ['amount', ''], ['tendered', '999']]), 2);
		expect(blank.ok && blank.value.payments).toEqual([]);
		const card = parseCheckoutForm(form([...base, ['method', 'card'], ['amount', '5'], ['tendered', '999']]), 2);
		expect(card.ok && card.value.payments).toEqual([{ method: 'card', amountMinor: 500 }]);
	});

	it('names each bad field', () => {
		expect(parseCheckoutForm(form([['currency', 'DKK'], ['method', 'card'], ['amount', '1']]), 2)).toEqual({ ok: false, errors: { lines: 'Add a service or a product' } });
		expect(
			parseCheckoutForm(
				form([
					['line.kind', 'gift'],
					['line.id', ID],
					['line.quantity', '1'],
					['tip', '-1'],
					['method', 'crypto'],
					['amount', '1']
				]),
				2
			)
		).toEqual({ ok: false, errors: { lines: 'Unknown kind of line', tip: 'Enter an amount of 0 or more', method: 'Choose cash, card or other', form: 'The form is incomplete: reload the page' } });
		expect(parseCheckoutForm(form([...base, ['method', 'cash'], ['amount', '1,234'], ['tendered', '']]), 3)).toMatchObject({ ok: true });
		expect(parseCheckoutForm(form([...base, ['method', 'cash'], ['amount', 'x'], ['tendered', '']]), 2)).toEqual({ ok: false, errors: { amount: '"x" is not an amount' } });
	});
});

describe('the refund form', () => {
	it('refunds everything, or the quantities given per line', () => {
		expect(parseRefundForm(form([['scope', 'all'], ['method', 'cash'], ['reason', '  ']]), [ID])).toEqual({ ok: true, value: { method: 'cash' } });
		expect(parseRefundForm(form([['scope', 'lines'], ['method', 'card'], [`qty.${ID}`, '2'], [`qty.${ID2}`, '0'], ['reason', 'Faulty']]), [ID, ID2])).toEqual({
			ok: true,
			value: { lines: [{ saleLineId: ID, quantity: 2 }], method: 'card', reason: 'Faulty' }
		});
	});

	it('names bad fields', () => {
		expect(parseRefundForm(form([['scope', 'lines'], ['method', 'card'], [`qty.${ID}`, '1.5']]), [ID])).toEqual({ ok: false, errors: { [`qty.${ID}`]: 'Enter a whole number' } });
		expect(parseRefundForm(form([['scope', 'some'], ['method', 'gold']]), [ID])).toEqual({
			ok: false,
			errors: { scope: 'Choose what to refund', method: 'Choose how the money goes back' }
		});
	});
});
