import { describe, expect, it } from 'vitest';
import { addLine, cartTotals, lineTotal, settle, type CartLine } from './cart';
import { searchSellables, type SellableItem } from './catalog-search';

const cut: CartLine = { kind: 'service', id: 's1', description: 'Cut', quantity: 1, unitPriceMinor: 450_00, stock: null };
const shampoo: CartLine = { kind: 'product', id: 'p1', description: 'Shampoo', quantity: 2, unitPriceMinor: 89_50, stock: 5 };

describe('cart arithmetic', () => {
	it('totals lines, then takes the discount off and adds the tip', () => {
		expect(lineTotal(shampoo)).toBe(179_00);
		expect(cartTotals([cut, shampoo], 29_00, 50_00)).toEqual({ subtotalMinor: 629_00, discountMinor: 29_00, tipMinor: 50_00, totalMinor: 650_00 });
		expect(cartTotals([], 0, 0).totalMinor).toBe(0);
	});

	it('shows what is left to pay, what was paid too much and the cash change', () => {
		expect(settle(650_00, [])).toEqual({ paidMinor: 0, remainingMinor: 650_00, changeMinor: 0 });
		expect(settle(650_00, [{ method: 'card', amountMinor: 650_00, tenderedMinor: null }])).toEqual({ paidMinor: 650_00, remainingMinor: 0, changeMinor: 0 });
		expect(
			settle(650_00, [
				{ method: 'card', amountMinor: 400_00, tenderedMinor: null },
				{ method: 'cash', amountMinor: 200_00, tenderedMinor: 500_00 }
			])
		).toEqual({ paidMinor: 600_00, remainingMinor: 50_00, changeMinor: 300_00 });
		expect(settle(100_00, [{ method: 'other', amountMinor: 120_00, tenderedMinor: null }]).remainingMinor).toBe(-20_00);
		// Tendered on a card payment, or less than the amount, is no change.
		expect(settle(100_00, [{ method: 'card', amountMinor: 100_00, tenderedMinor: 200_00 }]).changeMinor).toBe(0);
		expect(settle(100_00, [{ method: 'cash', amountMinor: 100_00, tenderedMinor: 50_00 }]).changeMinor).toBe(0);
	});

	it('adding the same item again raises its quantity', () => {
		const once = addLine([cut], { ...shampoo, quantity: 1 });
		const twice = addLine(once, { ...shampoo, quantity: 1 });
		expect(twice.map((l) => [l.id, l.quantity])).toEqual([
			['s1', 1],
			['p1', 2]
		]);
		expect(once[1]!.quantity).toBe(1);
	});
});

describe('searching services and products', () => {
	const items: SellableItem[] = [
		{ kind: 'service', id: 's1', name: "Men's haircut", priceMinor: 300_00, sku: null, barcode: null, stock: null, unit: null },
		{ kind: 'product', id: 'p1', name: 'Crème shampoo', priceMinor: 89_00, sku: 'SH-1', barcode: '5701234567890', stock: 4, unit: 'pcs' },
		{ kind: 'product', id: 'p2', name: 'Hair wax', priceMinor: 120_00, sku: 'WAX', barcode: null, stock: 0, unit: 'pcs' },
		{ kind: 'product', id: 'p3', name: 'Wax remover', priceMinor: 50_00, sku: 'SH', barcode: null, stock: 1, unit: 'pcs' }
	];
	const ids = (q: string, limit?: number) => searchSellables(items, q, limit).map((i) => i.id);

	it('matches every word in the name, SKU or barcode, ignoring case and accents', () => {
		expect(ids('creme')).toEqual(['p1']);
		expect(ids('HAIR')).toEqual(['s1', 'p2']);
		expect(ids('wax hair')).toEqual(['p2']);
		expect(ids('570123')).toEqual(['p1']);
		expect(ids('nothing')).toEqual([]);
	});

	it('puts an exact code first and keeps the limit', () => {
		expect(ids('sh')).toEqual(['p3', 'p1']);
		expect(ids('', 2)).toEqual(['s1', 'p1']);
	});
});
