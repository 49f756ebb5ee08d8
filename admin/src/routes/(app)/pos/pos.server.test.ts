import { createCore, FixedClock, type AccountView, type Core, type TenantView } from '@chairside/core';
import { createTestClient, createTestDatabase, createTestSalon, type TestDatabase, type TestSalon } from '@chairside/core/testing';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEvent, thrown } from '$lib/server/testing/events';
import { load as posLoad } from './+page.server';
import { actions as bookingCheckout, load as checkoutLoad } from './checkout/[bookingId]/+page.server';
import { actions as newSale } from './checkout/+page.server';
import { actions as receiptActions, load as receiptLoad } from './sales/[saleId]/+page.server';

const NOW = new Date('2030-03-04T06:00:00Z'); // Monday 07:00 in Copenhagen

/** A POST event with repeated fields (`entries`), as a browser sends a form. */
function post(core: Core, path: string, who: { account: AccountView; tenant: TenantView }, params: Record<string, string>, entries: [string, string][]) {
	const event = testEvent(core, path, { who, params });
	const body = new URLSearchParams(entries);
	return { ...event, request: new Request(event.url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }) };
}
const run = <F extends (e: never) => unknown>(fn: F, event: unknown) => fn(event as Parameters<F>[0]) as Awaited<ReturnType<F>> | Promise<Awaited<ReturnType<F>>>;

describe('point of sale: loads and actions (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let salon: TestSalon;
	let who: { account: AccountView; tenant: TenantView };
	let hour = 0;

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(NOW));
		salon = await createTestSalon(db.prisma);
		const account = await core.auth.createAccount({ tenantId: salon.tenantId, email: 'till@pos.test', name: 'Tilly', role: 'staff' });
		who = { account, tenant: await core.catalog.getTenant(salon.tenantId) };
	});
	afterAll(async () => db.drop());

	/** A confirmed "Cut" (300.00 DKK) today (Monday 2030-03-04) at the next free hour of staff 1, from 09:00 local. */
	async function booking(name = 'Client') {
		const clientId = await createTestClient(db.prisma, salon.tenantId, name);
		const h = 8 + hour++ + (hour > 3 ? 1 : 0); // UTC hours 08.. (09:00 local), skipping the 12:00 break
		const startsAt = new Date(Date.UTC(2030, 2, 4, h, 0));
		return core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: salon.staffIds[0]!, startsAt, channel: 'admin', clientId, actor: 'staff:test' });
	}
	const product = (name: string, stockOnHand: number, priceMinor = 89_00) =>
		core.inventory.create({ tenantId: salon.tenantId, name, priceMinor, stockOnHand, lowStockThreshold: 2, actor: 'staff:test' });
	/** The checkout form as the page posts it: the booked service, more lines, and the payment being entered. */
	const form = (lines: [string, string, number][], payment: { method?: string; amount: string; tendered?: string }, extra: [string, string][] = []): [string, string][] => [
		['currency', 'DKK'],
		...lines.flatMap(([kind, id, q]): [string, string][] => [
			['line.kind', kind],
			['line.id', id],
			['line.quantity', String(q)]
		]),
		...(extra.some(([k]) => k === 'discount') ? [] : [['discount', ''] as [string, string]]),
		...(extra.some(([k]) => k === 'tip') ? [] : [['tip', ''] as [string, string]]),
		...extra,
		['method', payment.method ?? 'card'],
		['amount', payment.amount],
		['tendered', payment.tendered ?? '']
	];

	it("lists today's bookings ready to check out and today's sales", async () => {
		const b = await booking('Ada');
		const cancelled = await booking('Cy');
		await core.bookings.cancel({ tenantId: salon.tenantId, bookingId: cancelled.id, actor: 'staff:test' });
		const data = (await run(posLoad, testEvent(core, '/pos', { who })))!;
		expect(data.today).toBe('2030-03-04');
		expect(data.bookings.map((x) => [x.clientName, x.status])).toContainEqual(['Ada', 'confirmed']);
		expect(data.bookings.map((x) => x.id)).toContain(b.id);
		expect(data.bookings.map((x) => x.id)).not.toContain(cancelled.id);
	});

	it("a staff member linked to a calendar column sees that column's bookings only", async () => {
		const b = await booking('Flo');
		const other = await core.auth.createAccount({ tenantId: salon.tenantId, email: 's2@pos.test', name: 'S2', role: 'staff', staffId: salon.staffIds[1]! });
		const own = await core.auth.createAccount({ tenantId: salon.tenantId, email: 's1@pos.test', name: 'S1', role: 'staff', staffId: salon.staffIds[0]! });
		const seen = async (account: AccountView) => (await run(posLoad, testEvent(core, '/pos', { who: { ...who, account } })))!;
		expect(await seen(other)).toMatchObject({ ownOnly: true, bookings: [] });
		expect((await seen(own)).bookings.map((x) => x.id)).toContain(b.id);
	});

	it('pre-fills the checkout from the booking; a booking of another salon is 404', async () => {
		const b = await booking('Bea');
		const data = (await run(checkoutLoad, testEvent(core, `/pos/checkout/${b.id}`, { who, params: { bookingId: b.id } })))!;
		expect(data.lines).toEqual([{ kind: 'service', id: salon.cutId, description: 'Cut', quantity: 1, unitPriceMinor: 300_00, stock: null }]);
		expect(data.client?.name).toBe('Bea');
		expect(data.existingSaleId).toBeNull();

		const other = await createTestSalon(db.prisma);
		const otherClient = await createTestClient(db.prisma, other.tenantId);
		const foreign = await core.bookings.book({
			tenantId: other.tenantId,
			serviceId: other.cutId,
			staffId: other.staffIds[0]!,
			startsAt: new Date('2030-03-04T09:00:00Z'),
			channel: 'admin',
			clientId: otherClient,
			actor: 'staff:test'
		});
		const e = await thrown(() => run(checkoutLoad, testEvent(core, `/pos/checkout/${foreign.id}`, { who, params: { bookingId: foreign.id } })));
		expect(isHttpError(e) && e.status).toBe(404);
		const bad = await thrown(() => run(checkoutLoad, testEvent(core, '/pos/checkout/x', { who, params: { bookingId: 'x' } })));
		expect(isHttpError(bad) && bad.status).toBe(404);
		// Paying for it from this salon changes nothing there either.
		const pay = post(core, `/pos/checkout/${foreign.id}`, who, { bookingId: foreign.id }, form([['service', other.cutId, 1]], { amount: '300.00' }));
		const refused = await thrown(() => run(bookingCheckout.default, pay));
		expect(isHttpError(refused) && refused.status).toBe(404);
		expect(await db.prisma.sale.count({ where: { tenantId: other.tenantId } })).toBe(0);
	});

	it('checks out a booking with a product by card: the sale, its payment and the stock decrement, then the receipt', async () => {
		const b = await booking('Cleo');
		const wax = await product('Wax', 5);
		// Cut 300.00 + 2 × wax 89.00 = 478.00, tip 20,00 → 498.00 by card.
		const event = post(core, `/pos/checkout/${b.id}`, who, { bookingId: b.id }, form([['service', salon.cutId, 1], ['product', wax.id, 2]], { amount: '498,00' }, [['tip', '20,00']]));
		const r = await thrown(() => run(bookingCheckout.default, event));
		expect(isRedirect(r)).toBe(true);
		const saleId = isRedirect(r) ? r.location.split('/').pop()! : '';
		expect(isRedirect(r) && [r.status, r.location]).toEqual([303, `/pos/sales/${saleId}`]);

		const sale = await core.pos.getSale({ tenantId: salon.tenantId, saleId });
		expect(sale).toMatchObject({ bookingId: b.id, subtotalMinor: 478_00, tipMinor: 20_00, totalMinor: 498_00, actor: `staff:${who.account.id}` });
		expect(sale.payments).toMatchObject([{ kind: 'payment', method: 'card', amountMinor: 498_00 }]);
		expect((await core.inventory.get({ tenantId: salon.tenantId, productId: wax.id })).stockOnHand).toBe(3);
		expect((await core.bookings.getBooking({ tenantId: salon.tenantId, bookingId: b.id })).status).toBe('completed');

		const receipt = (await run(receiptLoad, testEvent(core, `/pos/sales/${saleId}`, { who, params: { saleId } })))!;
		expect(receipt.receipt).toMatchObject({ salon: { name: 'Test Salon', timeZone: 'Europe/Copenhagen' }, paidMinor: 498_00, client: { name: 'Cleo' } });
		expect(receipt.receipt.sale.lines.map((l) => [l.description, l.quantity])).toEqual([
			['Cut', 1],
			['Wax', 2]
		]);

		// Checking the same booking out again: a conflict that links to the sale, and the draft says so too.
		const again = await run(bookingCheckout.default, post(core, `/pos/checkout/${b.id}`, who, { bookingId: b.id }, form([['service', salon.cutId, 1]], { amount: '300.00' })));
		expect(again).toMatchObject({ status: 409, data: { existingSaleId: saleId, errors: { form: 'This booking has already been checked out' } } });
		const draft = (await run(checkoutLoad, testEvent(core, `/pos/checkout/${b.id}`, { who, params: { bookingId: b.id } })))!;
		expect(draft.existingSaleId).toBe(saleId);
	});

	it('refuses more than is in stock, naming the product and what is available, and writes nothing', async () => {
		const b = await booking('Dina');
		const gel = await product('Gel', 1);
		const before = await db.prisma.sale.count();
		const result = await run(
			bookingCheckout.default,
			post(core, `/pos/checkout/${b.id}`, who, { bookingId: b.id }, form([['service', salon.cutId, 1], ['product', gel.id, 3]], { amount: '567.00' }))
		);
		expect(result).toMatchObject({
			status: 409,
			data: { errors: { [`product:${gel.id}`]: 'Only 1 in stock', form: 'Not enough of "Gel" in stock: 1 pcs available.' } }
		});
		expect(await db.prisma.sale.count()).toBe(before);
		expect((await core.inventory.get({ tenantId: salon.tenantId, productId: gel.id })).stockOnHand).toBe(1);
		expect((await core.bookings.getBooking({ tenantId: salon.tenantId, bookingId: b.id })).status).toBe('confirmed');
	});

	it('says clearly when the payments do not add up, and checks the form fields', async () => {
		const b = await booking('Eli');
		const short = await run(bookingCheckout.default, post(core, `/pos/checkout/${b.id}`, who, { bookingId: b.id }, form([['service', salon.cutId, 1]], { amount: '250' })));
		expect(short).toMatchObject({ status: 400 });
		expect((short as { data: { errors: { form: string } } }).data.errors.form.replaceAll('\u00a0', ' ')).toBe(
			'The payments add up to DKK 250.00 but the total is DKK 300.00: DKK 50.00 still to pay.'
		);

		const bad = await run(
			bookingCheckout.default,
			post(core, `/pos/checkout/${b.id}`, who, { bookingId: b.id }, form([['service', salon.cutId, 0]], { method: 'cash', amount: '300', tendered: '100' }, [['discount', 'ten']]))
		);
		expect(bad).toMatchObject({
			status: 400,
			data: { errors: { lines: 'At least 1', discount: '"ten" is not an amount', tendered: 'Less than the amount: enter what the client handed over' } }
		});
		const tooMuchOff = await run(
			bookingCheckout.default,
			post(core, `/pos/checkout/${b.id}`, who, { bookingId: b.id }, form([['service', salon.cutId, 1]], { amount: '0' }, [['discount', '400']]))
		);
		expect(tooMuchOff).toMatchObject({ status: 400, data: { errors: { discount: 'The discount is larger than the subtotal' } } });
		expect(await db.prisma.sale.count({ where: { bookingId: b.id } })).toBe(0);
	});

	it('sells without a booking, split between card and cash with change, and refunds a line back into stock', async () => {
		const oil = await product('Oil', 4, 120_00);
		// 2 × oil = 240.00: 100.00 by card (added as a split), 140.00 cash, 200.00 tendered → change 60.00.
		const event = post(
			core,
			'/pos/checkout',
			who,
			{},
			form([['product', oil.id, 2]], { method: 'cash', amount: '140', tendered: '200' }, [
				['split.method', 'card'],
				['split.amount', '100.00'],
				['split.tendered', '']
			])
		);
		const r = await thrown(() => run(newSale.default, event));
		const saleId = isRedirect(r) ? r.location.split('/').pop()! : '';
		const sale = await core.pos.getSale({ tenantId: salon.tenantId, saleId });
		expect(sale).toMatchObject({ bookingId: null, totalMinor: 240_00, changeDueMinor: 60_00 });
		expect(sale.payments.map((p) => [p.method, p.amountMinor, p.tenderedMinor])).toEqual([
			['card', 100_00, null],
			['cash', 140_00, 200_00]
		]);
		expect((await core.inventory.get({ tenantId: salon.tenantId, productId: oil.id })).stockOnHand).toBe(2);

		const line = sale.lines[0]!;
		const tooMany = await run(receiptActions.refund, post(core, `/pos/sales/${saleId}`, who, { saleId }, [['scope', 'lines'], [`qty.${line.id}`, '3'], ['method', 'cash'], ['reason', '']]));
		expect(tooMany).toMatchObject({ status: 400, data: { errors: { [`qty.${line.id}`]: 'Only 2 of "Oil" can still be refunded' } } });
		const nothing = await run(receiptActions.refund, post(core, `/pos/sales/${saleId}`, who, { saleId }, [['scope', 'lines'], ['method', 'cash']]));
		expect(nothing).toMatchObject({ status: 400, data: { errors: { form: 'Enter how many of which line to refund, or refund everything' } } });

		const one = await run(receiptActions.refund, post(core, `/pos/sales/${saleId}`, who, { saleId }, [['scope', 'lines'], [`qty.${line.id}`, '1'], ['method', 'cash'], ['reason', 'Allergy']]));
		expect(one).toEqual({ refundedMinor: 120_00, method: 'cash' });
		expect((await core.inventory.get({ tenantId: salon.tenantId, productId: oil.id })).stockOnHand).toBe(3);
		const rest = await run(receiptActions.refund, post(core, `/pos/sales/${saleId}`, who, { saleId }, [['scope', 'all'], ['method', 'card']]));
		expect(rest).toEqual({ refundedMinor: 120_00, method: 'card' });
		expect((await core.pos.getSale({ tenantId: salon.tenantId, saleId })).status).toBe('refunded');
		expect((await core.inventory.get({ tenantId: salon.tenantId, productId: oil.id })).stockOnHand).toBe(4);
		const twice = await run(receiptActions.refund, post(core, `/pos/sales/${saleId}`, who, { saleId }, [['scope', 'all'], ['method', 'card']]));
		expect(twice).toMatchObject({ status: 409 });
	});

	it('a sale of another salon is 404 on the receipt and for refunds', async () => {
		const other = await createTestSalon(db.prisma);
		const p = await core.inventory.create({ tenantId: other.tenantId, name: 'Elsewhere', priceMinor: 10_00, stockOnHand: 2, actor: 'staff:x' });
		const sale = await core.pos.checkout({ tenantId: other.tenantId, lines: [{ kind: 'product', productId: p.id }], payments: [{ method: 'card', amountMinor: 10_00 }], actor: 'staff:x' });
		const view = await thrown(() => run(receiptLoad, testEvent(core, `/pos/sales/${sale.id}`, { who, params: { saleId: sale.id } })));
		expect(isHttpError(view) && view.status).toBe(404);
		const refund = await thrown(() => run(receiptActions.refund, post(core, `/pos/sales/${sale.id}`, who, { saleId: sale.id }, [['scope', 'all'], ['method', 'card']])));
		expect(isHttpError(refund) && refund.status).toBe(404);
		expect((await core.pos.getSale({ tenantId: other.tenantId, saleId: sale.id })).status).toBe('completed');
	});
});
