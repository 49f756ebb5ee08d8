/**
 * Settings → Telegram against a real PostgreSQL: a one-time pairing code for owners and managers
 * (not staff), pairing with it, Unlink (a manager only their own chats), the daily-summary switch (owners).
 */
import { createCore, FixedClock, type AccountView, type Core, type TenantView } from '@chairside/core';
import { createTestDatabase, createTestSalon, type TestDatabase } from '@chairside/core/testing';
import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionForPath } from '$lib/server/access';
import { call, testEvent, thrown } from '$lib/server/testing/events';
import { actions, load } from './+page.server';

describe('settings → Telegram (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let owner: { account: AccountView; tenant: TenantView };
	let manager: { account: AccountView; tenant: TenantView };
	let staff: { account: AccountView; tenant: TenantView };

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(new Date('2030-03-04T07:00:00Z')));
		const tenant = await core.catalog.getTenant((await createTestSalon(db.prisma, { slug: 'tg' })).tenantId);
		owner = { account: await core.auth.createAccount({ tenantId: tenant.id, email: 'owner@tg.test', name: 'Olga', role: 'owner' }), tenant };
		manager = { account: await core.auth.createAccount({ tenantId: tenant.id, email: 'manager@tg.test', name: 'Max', role: 'manager' }), tenant };
		staff = { account: await core.auth.createAccount({ tenantId: tenant.id, email: 'staff@tg.test', name: 'Sam', role: 'staff' }), tenant };
	});
	afterAll(async () => db.drop());

	const as = (w: { account: AccountView; tenant: TenantView }, form?: Record<string, string>) => {
		const event = testEvent(core, '/settings/telegram', { who: w });
		if (!form) return event;
		return { ...event, request: new Request(event.url, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } }) };
	};

	it('is open to managers although the rest of Settings is not', () => {
		expect(permissionForPath('/settings/telegram')).toBe('owner:telegram');
		expect(permissionForPath('/settings/accounts')).toBe('settings');
	});

	it('gives owners and managers a one-time code that pairs a chat; staff get 403', async () => {
		const answer = (await call(actions.code!, as(manager, {}))) as { code: string; expiresAt: string };
		expect(answer.code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
		expect(answer.expiresAt).toBe('2030-03-04T07:15:00.000Z');
		const link = await core.owner.pair({ tenantId: manager.tenant.id, channel: 'telegram', chatId: '42', code: answer.code, label: 'Max T.' });
		expect(link.accountId).toBe(manager.account.id);
		await core.owner.pair({ tenantId: owner.tenant.id, channel: 'telegram', chatId: '43', code: ((await call(actions.code!, as(owner, {}))) as { code: string }).code });

		const mine = await call(load, as(manager));
		expect(mine.links.map((l) => [l.label, l.mine])).toEqual([['Max T.', true]]);
		expect(mine.canChangeSettings).toBe(false);
		expect((await call(load, as(owner))).links).toHaveLength(2);

		const denied = await thrown(() => call(load, as(staff)));
		expect(isHttpError(denied) && denied.status).toBe(403);
	});

	it('unlinks: a manager only their own chats; an owner any', async () => {
		const ownersLink = (await core.owner.listLinks({ tenantId: owner.tenant.id, accountId: owner.account.id }))[0]!;
		const refused = (await call(actions.unlink!, as(manager, { linkId: ownersLink.id }))) as unknown as { status: number };
		expect(refused.status).toBe(404);
		const managersLink = (await core.owner.listLinks({ tenantId: owner.tenant.id, accountId: manager.account.id }))[0]!;
		expect(await call(actions.unlink!, as(owner, { linkId: managersLink.id }))).toEqual({ unlinked: true });
		expect(await core.owner.listLinks({ tenantId: owner.tenant.id })).toHaveLength(1);
	});

	it('switches the daily summary (owners only)', async () => {
		expect((await call(load, as(owner))).dailySummary).toBe(false);
		await call(actions.summary!, as(owner, { dailySummary: 'on' }));
		expect(await core.owner.getSettings(owner.tenant.id)).toEqual({ dailySummary: true });
		const denied = await thrown(() => call(actions.summary!, as(manager, { dailySummary: '' })));
		expect(isHttpError(denied) && denied.status).toBe(403);
		await call(actions.summary!, as(owner, {}));
		expect(await core.owner.getSettings(owner.tenant.id)).toEqual({ dailySummary: false });
	});
});
