/**
 * The notifications page's load and Retry against a real PostgreSQL: newest first, filters by
 * status and messenger, 50 a page, the failure reason in plain words, Retry moves a failed row to
 * pending, another salon's rows are never seen or retried (404), and staff get 403.
 */
import { createCore, FixedClock, type AccountView, type Core, type NewOutboxMessage, type StaffRole, type TenantView } from '@chairside/core';
import { createTestClient, createTestDatabase, createTestSalon, type TestDatabase } from '@chairside/core/testing';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, testEvent, thrown } from '$lib/server/testing/events';
import { actions, load } from './+page.server';

describe('notifications page (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let tenant: TenantView;
	let clientId: string;
	const who: Partial<Record<StaffRole, { account: AccountView; tenant: TenantView }>> = {};
	let other: { account: AccountView; tenant: TenantView };
	let otherFailedId: string;

	const message = (tenantId: string, key: string, over: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
		tenantId,
		kind: 'reminder_24h',
		category: 'utility',
		data: {},
		idempotencyKey: key,
		...over
	});

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(new Date('2030-03-04T07:00:00Z')));
		const salon = await createTestSalon(db.prisma, { slug: 'outbox' });
		tenant = await core.catalog.getTenant(salon.tenantId);
		for (const role of ['owner', 'manager', 'staff'] as const) {
			who[role] = { account: await core.auth.createAccount({ tenantId: tenant.id, email: `${role}@outbox.test`, name: role, role }), tenant };
		}
		clientId = await createTestClient(db.prisma, tenant.id, 'Ida Berg');
		// 52 pending reminders (telegram), 2 failed (whatsapp, viber), one cancelled.
		await core.notifications.enqueue(Array.from({ length: 52 }, (_, i) => message(tenant.id, `r${i}`, { clientId, channel: 'telegram', recipient: '1' })));
		await core.notifications.enqueue([
			message(tenant.id, 'wa', { kind: 'confirmation', clientId, channel: 'whatsapp', recipient: '45' }),
			message(tenant.id, 'vb', { kind: 'thank_you', clientId, channel: 'viber', recipient: 'v' }),
			message(tenant.id, 'gone', { clientId })
		]);
		await db.prisma.outboxMessage.updateMany({ where: { tenantId: tenant.id, idempotencyKey: 'wa' }, data: { status: 'failed', attempts: 1, lastError: '131047: Re-engagement message' } });
		await db.prisma.outboxMessage.updateMany({ where: { tenantId: tenant.id, idempotencyKey: 'vb' }, data: { status: 'failed', attempts: 6, lastError: 'viber: something odd (after 6 attempts)' } });
		await db.prisma.outboxMessage.updateMany({ where: { tenantId: tenant.id, idempotencyKey: 'gone' }, data: { status: 'cancelled', lastError: 'the booking is cancelled' } });
		// The newest row of the salon: written a minute later.
		await db.prisma.outboxMessage.updateMany({ where: { tenantId: tenant.id, idempotencyKey: 'wa' }, data: { createdAt: new Date('2030-03-04T07:01:00Z') } });

		const second = await core.catalog.getTenant((await createTestSalon(db.prisma, { slug: 'elsewhere' })).tenantId);
		other = { account: await core.auth.createAccount({ tenantId: second.id, email: 'o@elsewhere.test', name: 'X', role: 'owner' }), tenant: second };
		await core.notifications.enqueue([message(second.id, 'theirs', { channel: 'telegram', recipient: '9' })]);
		otherFailedId = (await db.prisma.outboxMessage.findFirstOrThrow({ where: { tenantId: second.id } })).id;
		await db.prisma.outboxMessage.update({ where: { id: otherFailedId }, data: { status: 'failed', lastError: 'client has no messenger' } });
	});
	afterAll(async () => db.drop());

	const as = (role: StaffRole | 'other', path: string, form?: Record<string, string>) =>
		testEvent(core, path, { who: role === 'other' ? other : who[role]!, ...(form ? { form } : {}) });

	it('lists the salon’s rows newest first, 50 a page, with the client and the reason of failures', async () => {
		const first = await call(load, as('manager', '/notifications'));
		expect(first).toMatchObject({ total: 55, pageCount: 2, filters: { page: 1 } });
		expect(first.rows).toHaveLength(50);
		expect(first.rows[0]).toMatchObject({ kind: 'confirmation', status: 'failed', channel: 'whatsapp', clientId, clientName: 'Ida Berg', attempts: 1 });
		expect(first.rows[0]!.reason).toMatch(/only within 24 hours/);
		const second = await call(load, as('manager', '/notifications?page=2'));
		expect(second.rows).toHaveLength(5);
		const ids = new Set([...first.rows, ...second.rows].map((r) => r.id));
		expect(ids.size).toBe(55);
		expect(first.rows.concat(second.rows).every((r) => r.id !== otherFailedId)).toBe(true);

		const past = await thrown(() => call(load, as('manager', '/notifications?status=failed&page=9')));
		expect(isRedirect(past) && past.location).toBe('/notifications?status=failed');
	});

	it('filters by status and messenger; unknown filter values mean any', async () => {
		const failed = await call(load, as('owner', '/notifications?status=failed'));
		expect(failed.rows.map((r) => r.channel)).toEqual(['whatsapp', 'viber']);
		expect(failed.rows[1]!.reason).toBe('The messenger refused it: something odd (after 6 attempts)');
		const viber = await call(load, as('owner', '/notifications?status=failed&channel=viber'));
		expect(viber.rows.map((r) => r.kind)).toEqual(['thank_you']);
		const telegram = await call(load, as('owner', '/notifications?channel=telegram'));
		expect(telegram.total).toBe(52);
		expect(telegram.rows.every((r) => r.status === 'pending' && r.reason === null)).toBe(true);
		const cancelled = await call(load, as('owner', '/notifications?status=cancelled'));
		expect(cancelled.rows).toMatchObject([{ status: 'cancelled', lastError: 'the booking is cancelled', reason: null }]);
		const junk = await call(load, as('owner', '/notifications?status=nope&channel=fax&page=-3'));
		expect(junk).toMatchObject({ total: 55, filters: { status: undefined, channel: undefined, page: 1 } });
		const theirs = await call(load, as('other', '/notifications'));
		expect(theirs.rows.map((r) => r.id)).toEqual([otherFailedId]);
	});

	it('Retry moves a failed row to pending; other salons’ ids and bad ids are 404; a row that is not failed is 409', async () => {
		const wa = await db.prisma.outboxMessage.findFirstOrThrow({ where: { tenantId: tenant.id, idempotencyKey: 'wa' } });
		const result = await call(actions.retry, as('manager', '/notifications?status=failed&/retry', { id: wa.id }));
		expect(result).toEqual({ retried: { id: wa.id, status: 'pending' } });
		expect(await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: wa.id } })).toMatchObject({ status: 'pending', attempts: 0 });
		expect((await call(load, as('manager', '/notifications?status=failed'))).rows.map((r) => r.kind)).toEqual(['thank_you']);

		const again = await call(actions.retry, as('manager', '/notifications?/retry', { id: wa.id }));
		expect(again).toMatchObject({ status: 409, data: { retryError: { id: wa.id, message: expect.stringMatching(/only failed messages/i) } } });

		for (const id of [otherFailedId, 'not-an-id', '']) {
			const e = await thrown(() => call(actions.retry, as('owner', '/notifications?/retry', { id })));
			expect([id, isHttpError(e) && e.status]).toEqual([id, 404]);
		}
		expect((await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: otherFailedId } })).status).toBe('failed');
	});

	it('staff may not see the page or retry (403)', async () => {
		const vb = await db.prisma.outboxMessage.findFirstOrThrow({ where: { tenantId: tenant.id, idempotencyKey: 'vb' } });
		for (const run of [() => call(load, as('staff', '/notifications')), () => call(actions.retry, as('staff', '/notifications?/retry', { id: vb.id }))]) {
			const e = await thrown(run);
			expect(isHttpError(e) && e.status).toBe(403);
		}
		expect((await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: vb.id } })).status).toBe('failed');
	});
});
