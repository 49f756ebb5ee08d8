/**
 * The client pages' loads and actions against a real PostgreSQL: search, new client, profile,
 * edit with field errors, merge (the merged id then leads to the kept client), the staff lookup
 * endpoint, roles, and another salon's ids (404).
 */
import { createCore, FixedClock, type AccountView, type Core, type StaffRole, type TenantView } from '@chairside/core';
import { createTestDatabase, createTestSalon, type TestDatabase, type TestSalon } from '@chairside/core/testing';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, testEvent, thrown } from '$lib/server/testing/events';
import { actions as listActions, load as listLoad } from './+page.server';
import { load as profileLoad } from './[id]/+page.server';
import { actions as editActions, load as editLoad } from './[id]/edit/+page.server';
import { actions as mergeActions, load as mergeLoad } from './[id]/merge/+page.server';
import { GET as lookupGet, POST as lookupPost } from './lookup/+server';

describe('client pages (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let salon: TestSalon;
	let tenant: TenantView;
	const who: Partial<Record<StaffRole, { account: AccountView; tenant: TenantView }>> = {};
	let other: { account: AccountView; tenant: TenantView };

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(new Date('2030-03-04T07:00:00Z')));
		salon = await createTestSalon(db.prisma, { slug: 'crm' });
		tenant = await core.catalog.getTenant(salon.tenantId);
		for (const role of ['owner', 'manager', 'staff'] as const) {
			who[role] = { account: await core.auth.createAccount({ tenantId: tenant.id, email: `${role}@crm.test`, name: role, role }), tenant };
		}
		const second = await createTestSalon(db.prisma, { slug: 'other' });
		const otherTenant = await core.catalog.getTenant(second.tenantId);
		other = { account: await core.auth.createAccount({ tenantId: otherTenant.id, email: 'owner@other.test', name: 'Other', role: 'owner' }), tenant: otherTenant };
	});
	afterAll(async () => db.drop());

	const as = (role: StaffRole | 'other', path: string, options: { form?: Record<string, string>; params?: Record<string, string> } = {}) =>
		testEvent(core, path, { ...options, who: role === 'other' ? other : who[role]! });

	it('creates clients with field errors for a bad phone, and finds them by name or phone digits', async () => {
		const bad = await call(listActions.create, as('manager', '/clients?/create', { form: { name: 'Ida Berg', phone: '12' } }));
		expect(bad).toMatchObject({ status: 400, data: { create: { values: { name: 'Ida Berg', phone: '12' }, errors: { phone: expect.stringMatching(/^Enter a valid phone number, e\.g\. \+45 /) } } } });
		const noName = await call(listActions.create, as('manager', '/clients?/create', { form: { name: ' ', phone: '' } }));
		expect(noName).toMatchObject({ status: 400, data: { create: { errors: { name: 'Enter a name' } } } });
		expect(await db.prisma.client.count({ where: { tenantId: tenant.id } })).toBe(0);

		const created = await thrown(() => call(listActions.create, as('manager', '/clients?/create', { form: { name: 'Ida Berg', phone: '20 12 34 56' } })));
		expect(isRedirect(created) && created.location).toMatch(/^\/clients\/[0-9a-f-]{36}$/);
		await core.crm.createClient({ tenantId: tenant.id, name: 'Bo Holm', phone: '+4531313100' });

		const byDigits = await call(listLoad, as('manager', '/clients?q=20+12+34'));
		expect(byDigits.clients.map((c) => c.name)).toEqual(['Ida Berg']);
		const byName = await call(listLoad, as('owner', '/clients?q=holm'));
		expect(byName.clients.map((c) => c.name)).toEqual(['Bo Holm']);
		expect((await call(listLoad, as('owner', '/clients'))).clients).toHaveLength(2);
	});

	it('shows a profile with bookings; edits with field errors; another salon gets 404; staff get 403', async () => {
		const client = await core.crm.createClient({ tenantId: tenant.id, name: 'Clara Dahl', phone: '+4522222222' });
		const booked = await core.bookings.book({
			tenantId: tenant.id,
			serviceId: salon.cutId,
			staffId: salon.staffIds[0]!,
			startsAt: new Date('2030-03-05T09:00:00Z'),
			channel: 'admin',
			clientId: client.id,
			actor: 't'
		});
		const page = await call(profileLoad, as('manager', `/clients/${client.id}`, { params: { id: client.id } }));
		expect(page.profile.client.name).toBe('Clara Dahl');
		expect(page.profile.upcoming.map((b) => b.id)).toEqual([booked.id]);

		const badEdit = as('manager', `/clients/${client.id}/edit?/save`, {
			params: { id: client.id },
			form: { name: 'Clara Dahl', phone: 'abc', birthday: '', notes: '', tags: 'vip' }
		});
		expect(await call(editActions.save, badEdit)).toMatchObject({ status: 400, data: { errors: { phone: expect.stringContaining('e.g. +45') }, values: { phone: 'abc' } } });
		const badBirthday = as('manager', `/clients/${client.id}/edit?/save`, { params: { id: client.id }, form: { name: 'Clara Dahl', phone: '', birthday: '02-30', notes: '', tags: '' } });
		expect(await call(editActions.save, badBirthday)).toMatchObject({ status: 400, data: { errors: { birthday: 'is not a date' } } });

		const save = as('manager', `/clients/${client.id}/edit?/save`, {
			params: { id: client.id },
			form: { name: 'Clara Dahl', phone: '22 22 22 23', birthday: '03-14', notes: 'Short hair', tags: 'vip, colour', marketingConsent: 'on' }
		});
		const saved = await thrown(() => call(editActions.save, save));
		expect(isRedirect(saved) && saved.location).toBe(`/clients/${client.id}?notice=saved`);
		expect(await core.crm.getProfile({ tenantId: tenant.id, clientId: client.id }).then((p) => p.client)).toMatchObject({
			phone: '+4522222223',
			birthday: '2000-03-14',
			notes: 'Short hair',
			tags: ['vip', 'colour'],
			marketingConsent: true
		});
		expect((await call(editLoad, as('owner', `/clients/${client.id}/edit`, { params: { id: client.id } }))).client.name).toBe('Clara Dahl');

		for (const run of [
			() => call(profileLoad, as('other', `/clients/${client.id}`, { params: { id: client.id } })),
			() => call(editLoad, as('other', `/clients/${client.id}/edit`, { params: { id: client.id } })),
			() => call(editActions.save, as('other', `/clients/${client.id}/edit?/save`, { params: { id: client.id }, form: { name: 'Hacked', phone: '', birthday: '', notes: '', tags: '' } })),
			() => call(mergeLoad, as('other', `/clients/${client.id}/merge`, { params: { id: client.id } })),
			() => call(profileLoad, as('manager', '/clients/not-a-uuid', { params: { id: 'not-a-uuid' } }))
		]) {
			const e = await thrown(run);
			expect(isHttpError(e) && e.status).toBe(404);
		}
		expect((await db.prisma.client.findUniqueOrThrow({ where: { id: client.id } })).name).toBe('Clara Dahl');
		const staff = await thrown(() => call(profileLoad, as('staff', `/clients/${client.id}`, { params: { id: client.id } })));
		expect(isHttpError(staff) && staff.status).toBe(403);
	});

	it('merges a duplicate after a preview; the merged id then leads to the kept client', async () => {
		const keep = await core.crm.createClient({ tenantId: tenant.id, name: 'Eva Lund', phone: '+4540404040', tags: ['vip'] });
		const dup = await core.crm.createClient({ tenantId: tenant.id, name: 'Eva L', phone: '+4550505050', notes: 'Prefers mornings', tags: ['colour'] });
		const booking = await core.bookings.book({
			tenantId: tenant.id,
			serviceId: salon.cutId,
			staffId: salon.staffIds[1]!,
			startsAt: new Date('2030-03-06T09:00:00Z'),
			channel: 'admin',
			clientId: dup.id,
			actor: 't'
		});

		const search = await call(mergeLoad, as('manager', `/clients/${keep.id}/merge?q=eva`, { params: { id: keep.id } }));
		expect(search.candidates.map((c) => c.id)).toEqual([dup.id]);
		expect(search.duplicate).toBeNull();
		const preview = await call(mergeLoad, as('manager', `/clients/${keep.id}/merge?q=eva&with=${dup.id}`, { params: { id: keep.id } }));
		expect(preview.duplicate?.id).toBe(dup.id);
		expect(preview.preview.map((l) => l.text)).toEqual(
			expect.arrayContaining(['1 booking moves to Eva Lund (1 upcoming, 0 visits, 0 no-shows).', 'Tags added: colour.', 'The notes are taken over.'])
		);
		expect((await db.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } })).clientId).toBe(dup.id);
		const self = await call(mergeLoad, as('manager', `/clients/${keep.id}/merge?with=${keep.id}`, { params: { id: keep.id } }));
		expect(self.problem).toMatch(/cannot be merged into itself/);

		const merged = await thrown(() => call(mergeActions.merge, as('manager', `/clients/${keep.id}/merge?/merge`, { params: { id: keep.id }, form: { mergeId: dup.id } })));
		expect(isRedirect(merged) && merged.location).toBe(`/clients/${keep.id}?notice=merged`);
		expect((await db.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } })).clientId).toBe(keep.id);

		const old = await thrown(() => call(profileLoad, as('manager', `/clients/${dup.id}`, { params: { id: dup.id } })));
		expect(isRedirect(old) && old.location).toBe(`/clients/${keep.id}`);
		const page = await call(profileLoad, as('manager', `/clients/${keep.id}?notice=merged`, { params: { id: keep.id } }));
		expect(page.merged).toBe(true);
		expect(page.profile.client.tags).toEqual(['vip', 'colour']);
		expect(page.profile.upcoming.map((b) => b.id)).toEqual([booking.id]);
		expect((await call(listLoad, as('manager', '/clients?q=eva'))).clients.map((c) => c.id)).toEqual([keep.id]);

		const again = await call(mergeActions.merge, as('manager', `/clients/${keep.id}/merge?/merge`, { params: { id: keep.id }, form: { mergeId: dup.id } }));
		expect(again).toMatchObject({ status: 409 });
		const bad = await call(mergeActions.merge, as('manager', `/clients/${keep.id}/merge?/merge`, { params: { id: keep.id }, form: { mergeId: 'x' } }));
		expect(bad).toMatchObject({ status: 400 });
		const foreign = await core.crm.createClient({ tenantId: other.tenant.id, name: 'Foreign' });
		const cross = await thrown(() => call(mergeActions.merge, as('manager', `/clients/${keep.id}/merge?/merge`, { params: { id: keep.id }, form: { mergeId: foreign.id } })));
		expect(isHttpError(cross) && cross.status).toBe(404);
	});

	it('the lookup endpoint lets every role find and add clients (JSON)', async () => {
		await core.crm.createClient({ tenantId: tenant.id, name: 'Finn Lookup', phone: '+4560606060' });
		const found = await call(lookupGet, as('staff', '/clients/lookup?q=60+60'));
		expect(await found.json()).toEqual({ clients: [{ id: expect.any(String), name: 'Finn Lookup', phone: '+4560606060' }] });

		const post = (body: unknown, role: StaffRole | 'other' = 'staff') => {
			const event = as(role, '/clients/lookup');
			const request = new Request(event.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			return call(lookupPost, { ...event, request });
		};
		const added = await post({ name: 'Gry Walkin', phone: '70 70 70 70' });
		expect([added.status, await added.json()]).toEqual([201, { client: { id: expect.any(String), name: 'Gry Walkin', phone: '+4570707070' } }]);
		const invalid = await post({ name: '', phone: 'x' });
		expect([invalid.status, await invalid.json()]).toEqual([400, { errors: { name: 'Enter a name' } }]);
		const badPhone = await post({ name: 'Hans', phone: '1' });
		expect([badPhone.status, (await badPhone.json()).errors.phone]).toEqual([400, expect.stringContaining('e.g. +45')]);
		// Another salon's session never sees this salon's clients.
		const otherSearch = await call(lookupGet, as('other', '/clients/lookup?q=Finn'));
		expect(await otherSearch.json()).toEqual({ clients: [] });
	});
});
