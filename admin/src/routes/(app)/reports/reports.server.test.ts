import { createCore, FixedClock, type AccountView, type Core, type TenantView } from '@chairside/core';
import { createTestDatabase, createTestSalon, type TestDatabase } from '@chairside/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEvent } from '$lib/server/testing/events';
import { load } from './+page.server';

const run = (event: unknown) => load(event as Parameters<typeof load>[0]) as Promise<Exclude<Awaited<ReturnType<typeof load>>, void>>;

describe('daily close page (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let clock: FixedClock;
	let who: { account: AccountView; tenant: TenantView };
	let tenantId: string;

	beforeAll(async () => {
		db = await createTestDatabase();
		clock = new FixedClock(new Date('2030-03-04T22:30:00Z')); // Mon 23:30 in Copenhagen
		core = createCore(db.prisma, clock);
		tenantId = (await createTestSalon(db.prisma)).tenantId;
		const account = await core.auth.createAccount({ tenantId, email: 'owner@close.test', name: 'O', role: 'owner' });
		who = { account, tenant: await core.catalog.getTenant(tenantId) };
	});
	afterAll(async () => db.drop());

	it("shows the salon's local day (default today) by payment method, with sales, tips and discounts", async () => {
		const p = await core.inventory.create({ tenantId, name: 'Oil', priceMinor: 100_00, stockOnHand: 10, actor: 'staff:x' });
		// 23:30 local on Monday (22:30 UTC): belongs to Monday. Cash 150 (tendered 200), card 100.
		const sale = await core.pos.checkout({
			tenantId,
			lines: [{ kind: 'product', productId: p.id, quantity: 3 }],
			discountMinor: 60_00,
			tipMinor: 10_00,
			payments: [
				{ method: 'cash', amountMinor: 150_00, tenderedMinor: 200_00 },
				{ method: 'card', amountMinor: 100_00 }
			],
			actor: 'staff:x'
		});
		await core.pos.refund({ tenantId, saleId: sale.id, lines: [{ saleLineId: sale.lines[0]!.id, quantity: 1 }], method: 'cash', actor: 'staff:x' });

		const today = await run(testEvent(core, '/reports', { who }));
		expect(today).toMatchObject({ today: '2030-03-04', date: '2030-03-04', previous: '2030-03-03', next: null, dateError: null });
		expect(today.close).toMatchObject({
			salesCount: 1,
			grossMinor: 300_00,
			discountsMinor: 60_00,
			tipsMinor: 10_00,
			paymentsMinor: 250_00,
			refundsMinor: 100_00,
			netMinor: 150_00,
			byMethod: {
				cash: { paymentsMinor: 150_00, refundsMinor: 100_00, netMinor: 50_00, count: 2 },
				card: { paymentsMinor: 100_00, refundsMinor: 0, netMinor: 100_00, count: 1 },
				other: { paymentsMinor: 0, count: 0 }
			}
		});

		const before = await run(testEvent(core, '/reports?date=2030-03-03', { who }));
		expect(before).toMatchObject({ date: '2030-03-03', next: '2030-03-04', close: { salesCount: 0, netMinor: 0 } });
		const bad = await run(testEvent(core, '/reports?date=2030-02-30', { who }));
		expect(bad).toMatchObject({ date: '2030-03-04', dateError: '"2030-02-30" is not a date: showing today' });
	});
});
