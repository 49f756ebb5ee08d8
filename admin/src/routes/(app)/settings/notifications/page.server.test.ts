/**
 * Settings → Notifications against a real PostgreSQL: the form filled in from core's defaults,
 * a save of every field (offsets, quiet hours, review link, no-shows, own texts per language),
 * bad input → field errors and nothing saved, and managers get 403.
 */
import { createCore, DEFAULT_NOTIFICATION_SETTINGS, FixedClock, type AccountView, type Core, type TenantView } from '@chairside/core';
import { createTestDatabase, createTestSalon, type TestDatabase } from '@chairside/core/testing';
import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, testEvent, thrown } from '$lib/server/testing/events';
import { actions, load } from './+page.server';

describe('sequence settings (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let tenant: TenantView;
	let owner: { account: AccountView; tenant: TenantView };
	let manager: { account: AccountView; tenant: TenantView };

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(new Date('2030-03-04T07:00:00Z')));
		tenant = await core.catalog.getTenant((await createTestSalon(db.prisma, { slug: 'sequence' })).tenantId);
		owner = { account: await core.auth.createAccount({ tenantId: tenant.id, email: 'o@sequence.test', name: 'O', role: 'owner' }), tenant };
		manager = { account: await core.auth.createAccount({ tenantId: tenant.id, email: 'm@sequence.test', name: 'M', role: 'manager' }), tenant };
	});
	afterAll(async () => db.drop());

	const as = (w: { account: AccountView; tenant: TenantView }, path: string, form?: Record<string, string>) => testEvent(core, path, { who: w, ...(form ? { form } : {}) });

	it('fills the form from the defaults', async () => {
		const page = await call(load, as(owner, '/settings/notifications'));
		expect(page.lang).toBe('en');
		expect(page.languages).toEqual(['en', 'da']);
		expect(page.values).toMatchObject({
			enabled_confirmation: 'on',
			enabled_birthday: 'on',
			reminder_24h_hours: '24',
			reminder_24h_minutes: '0',
			reminder_1h_hours: '1',
			quietStart: '21:00',
			quietEnd: '09:00',
			marketingTime: '10:00',
			reviewUrl: '',
			noShowEnabled: 'on',
			noShowGraceMinutes: '15',
			text_thank_you: ''
		});
	});

	/** The saved form as a browser sends it: unchecked boxes are missing. */
	const FORM: Record<string, string> = {
		lang: 'da',
		enabled_confirmation: 'on',
		enabled_rescheduled: 'on',
		enabled_cancelled: 'on',
		enabled_reminder_24h: 'on',
		enabled_reminder_1h: 'on',
		enabled_thank_you: 'on',
		// reactivation and birthday switched off
		reminder_24h_hours: '48',
		reminder_24h_minutes: '0',
		reminder_1h_hours: '2',
		reminder_1h_minutes: '30',
		thankYouDelayMinutes: '90',
		reactivationDays: '45',
		quietStart: '22:00',
		quietEnd: '08:30',
		marketingTime: '11:15',
		reviewUrl: 'https://g.page/r/salon',
		noShowGraceMinutes: '20',
		text_thank_you: 'Tak, {name}! Anmeld os: {reviewUrl}',
		text_reminder_1h: ''
	};
	const good = (): Record<string, string> => ({ ...FORM });

	it('saves every field; the texts go to the form’s language', async () => {
		expect(await call(actions.save, as(owner, '/settings/notifications?lang=da&/save', good()))).toEqual({ saved: true });
		const saved = await core.notifications.getSettings(tenant.id);
		expect(saved).toMatchObject({
			enabled: { ...DEFAULT_NOTIFICATION_SETTINGS.enabled, reactivation: false, birthday: false },
			reminderOffsets: { reminder_24h: 2880, reminder_1h: 150 },
			thankYouDelayMinutes: 90,
			reactivationDays: 45,
			quietHours: { startMinute: 22 * 60, endMinute: 8 * 60 + 30 },
			marketingMinute: 11 * 60 + 15,
			reviewUrl: 'https://g.page/r/salon',
			noShow: { enabled: false, graceMinutes: 20 },
			texts: { da: { thank_you: 'Tak, {name}! Anmeld os: {reviewUrl}' } }
		});
		const danish = await call(load, as(owner, '/settings/notifications?lang=da'));
		expect(danish.values).toMatchObject({ text_thank_you: 'Tak, {name}! Anmeld os: {reviewUrl}', enabled_birthday: '', noShowEnabled: '', reminder_1h_minutes: '30' });
		expect((await call(load, as(owner, '/settings/notifications'))).values.text_thank_you).toBe('');
	});

	it('bad input: field errors, the typed values back, nothing saved', async () => {
		const before = await core.notifications.getSettings(tenant.id);
		const bad = {
			...good(),
			reminder_24h_hours: '0',
			reminder_24h_minutes: '10',
			reminder_1h_hours: 'x',
			quietStart: '25:00',
			reviewUrl: 'ftp://files.example',
			reactivationDays: '3',
			noShowGraceMinutes: '999',
			text_birthday: 'Hi {firstname}'
		};
		const result = await call(actions.save, as(owner, '/settings/notifications?/save', bad));
		expect(result).toMatchObject({
			status: 400,
			data: {
				values: { quietStart: '25:00', reviewUrl: 'ftp://files.example' },
				errors: {
					reminder_1h_hours: 'Enter a whole number',
					quietStart: 'Enter a time such as 21:00',
					reviewUrl: 'Enter a web address starting with https://',
					reactivationDays: 'Between 7 and 365 days',
					noShowGraceMinutes: 'Between 0 and 240 minutes',
					text_birthday: expect.stringMatching(/^Use only these placeholders: \{name\}/)
				}
			}
		});
		const offsets = await call(actions.save, as(owner, '/settings/notifications?/save', { ...good(), reminder_24h_hours: '0', reminder_24h_minutes: '10' }));
		expect(offsets).toMatchObject({ status: 400, data: { errors: { reminder_24h_hours: 'Between 15 minutes and 7 days before' } } });
		expect(await core.notifications.getSettings(tenant.id)).toEqual(before);
	});

	it('managers may not open or save it (403)', async () => {
		for (const run of [() => call(load, as(manager, '/settings/notifications')), () => call(actions.save, as(manager, '/settings/notifications?/save', good()))]) {
			const e = await thrown(run);
			expect(isHttpError(e) && e.status).toBe(403);
		}
	});
});
