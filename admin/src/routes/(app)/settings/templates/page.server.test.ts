/**
 * Settings → Templates against a real PostgreSQL: one row per message kind, save with ordered
 * parameters (and the short reminder's buttons), field errors for unknown parameters or a bad
 * name (nothing saved), remove, and managers get 403.
 */
import { createCore, FixedClock, type AccountView, type Core, type TenantView } from '@chairside/core';
import { createTestDatabase, createTestSalon, type TestDatabase } from '@chairside/core/testing';
import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, testEvent, thrown } from '$lib/server/testing/events';
import { actions, load } from './+page.server';

describe('template settings (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let tenant: TenantView;
	let owner: { account: AccountView; tenant: TenantView };
	let manager: { account: AccountView; tenant: TenantView };

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(new Date('2030-03-04T07:00:00Z')));
		tenant = await core.catalog.getTenant((await createTestSalon(db.prisma, { slug: 'templates' })).tenantId);
		owner = { account: await core.auth.createAccount({ tenantId: tenant.id, email: 'o@templates.test', name: 'O', role: 'owner' }), tenant };
		manager = { account: await core.auth.createAccount({ tenantId: tenant.id, email: 'm@templates.test', name: 'M', role: 'manager' }), tenant };
	});
	afterAll(async () => db.drop());

	const as = (w: { account: AccountView; tenant: TenantView }, path: string, form?: Record<string, string>) => testEvent(core, path, { who: w, ...(form ? { form } : {}) });

	it('saves a template with ordered parameters, shows it, and removes it', async () => {
		const empty = await call(load, as(owner, '/settings/templates'));
		expect(empty.rows.map((r) => r.kind)).toEqual(['confirmation', 'rescheduled', 'cancelled', 'reminder_24h', 'reminder_1h', 'thank_you', 'reactivation', 'birthday']);
		expect(empty.rows.every((r) => !r.saved)).toBe(true);
		expect(empty.rows.filter((r) => r.buttons).map((r) => r.kind)).toEqual(['reminder_1h']);

		const form = { kind: 'reminder_1h', name: 'reminder_soon', language: 'en_US', parameters: 'client_name, time,service', quickReplies: 'confirm, cancel' };
		expect(await call(actions.save, as(owner, '/settings/templates?/save', form))).toEqual({ kind: 'reminder_1h', saved: true });
		expect(await core.notifications.listTemplates(tenant.id)).toMatchObject([
			{ kind: 'reminder_1h', name: 'reminder_soon', language: 'en_US', parameters: ['client_name', 'time', 'service'], quickReplies: ['confirm', 'cancel'] }
		]);
		const page = await call(load, as(owner, '/settings/templates'));
		expect(page.rows.find((r) => r.kind === 'reminder_1h')).toMatchObject({
			saved: true,
			values: { name: 'reminder_soon', language: 'en_US', parameters: 'client_name, time, service', quickReplies: 'confirm, cancel' }
		});

		expect(await call(actions.remove, as(owner, '/settings/templates?/remove', { kind: 'reminder_1h' }))).toEqual({ kind: 'reminder_1h', removed: true });
		expect(await core.notifications.listTemplates(tenant.id)).toEqual([]);
	});

	it('bad input: field errors for that kind, nothing saved', async () => {
		const bad = await call(actions.save, as(owner, '/settings/templates?/save', { kind: 'confirmation', name: 'Booking Confirmed', language: 'english', parameters: 'client_name, price', quickReplies: '' }));
		expect(bad).toMatchObject({
			status: 400,
			data: {
				kind: 'confirmation',
				values: { name: 'Booking Confirmed', parameters: 'client_name, price' },
				errors: {
					name: 'Use the name as WhatsApp shows it: lowercase letters, digits and _',
					language: 'Use a WhatsApp language code such as en, en_US or da',
					parameters: 'Unknown parameter “price”: use client_name, service, date, time, staff, salon'
				}
			}
		});
		const unknownKind = await call(actions.save, as(owner, '/settings/templates?/save', { kind: 'spam', name: 'x', language: 'en', parameters: '' }));
		expect(unknownKind).toMatchObject({ status: 400, data: { errors: { kind: 'Pick a message kind' } } });
		expect(await call(actions.remove, as(owner, '/settings/templates?/remove', { kind: 'spam' }))).toMatchObject({ status: 400 });
		expect(await core.notifications.listTemplates(tenant.id)).toEqual([]);
	});

	it('managers may not open or change it (403)', async () => {
		for (const run of [
			() => call(load, as(manager, '/settings/templates')),
			() => call(actions.save, as(manager, '/settings/templates?/save', { kind: 'confirmation', name: 'x', language: 'en', parameters: '' })),
			() => call(actions.remove, as(manager, '/settings/templates?/remove', { kind: 'confirmation' }))
		]) {
			const e = await thrown(run);
			expect(isHttpError(e) && e.status).toBe(403);
		}
	});
});
