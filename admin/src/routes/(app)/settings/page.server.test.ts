/**
 * The settings pages' loads and actions against a real PostgreSQL: salon details and rules,
 * services (price typed in the salon currency), staff (services, weekly hours with breaks, date
 * overrides, time off in salon-local time), roles, and another salon's ids (404).
 */
import { createCore, FixedClock, type AccountView, type Core, type TenantView } from '@chairside/core';
import { createTestDatabase, createTestSalon, type TestDatabase, type TestSalon } from '@chairside/core/testing';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, testEvent, thrown } from '$lib/server/testing/events';
import { actions as salonActions, load as salonLoad } from './+page.server';
import { load as servicesLoad } from './services/+page.server';
import { actions as serviceActions, load as serviceLoad } from './services/[id]/+page.server';
import { actions as newServiceActions } from './services/new/+page.server';
import { actions as staffListActions, load as staffListLoad } from './staff/+page.server';
import { actions as staffActions, load as staffLoad } from './staff/[id]/+page.server';
import { actions as accountActions, load as accountsLoad } from './accounts/+page.server';

describe('settings pages (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let salon: TestSalon;
	let owner: { account: AccountView; tenant: TenantView };
	let manager: { account: AccountView; tenant: TenantView };
	let other: { account: AccountView; tenant: TenantView };

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(new Date('2030-03-04T07:00:00Z')));
		salon = await createTestSalon(db.prisma, { slug: 'setup' });
		const tenant = await core.catalog.getTenant(salon.tenantId);
		owner = { account: await core.auth.createAccount({ tenantId: tenant.id, email: 'owner@setup.test', name: 'O', role: 'owner' }), tenant };
		manager = { account: await core.auth.createAccount({ tenantId: tenant.id, email: 'manager@setup.test', name: 'M', role: 'manager' }), tenant };
		const second = await core.catalog.getTenant((await createTestSalon(db.prisma, { slug: 'elsewhere' })).tenantId);
		other = { account: await core.auth.createAccount({ tenantId: second.id, email: 'o@elsewhere.test', name: 'X', role: 'owner' }), tenant: second };
	});
	afterAll(async () => db.drop());

	const as = (w: { account: AccountView; tenant: TenantView }, path: string, options: { form?: Record<string, string> | [string, string][]; params?: Record<string, string> } = {}) => {
		const event = testEvent(core, path, { params: options.params, who: w });
		if (!options.form) return event;
		const body = new URLSearchParams(options.form);
		return { ...event, request: new Request(event.url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }) };
	};

	const salonForm = {
		name: 'Renamed Salon',
		timeZone: 'Asia/Tbilisi',
		currency: 'GEL',
		locale: 'ka-GE',
		country: 'GE',
		slotStepMinutes: '30',
		minimumNoticeMinutes: '120',
		maximumDaysAhead: '30',
		holdMinutes: '5',
		cancellationCutoffMinutes: '1440'
	};

	it('salon: field errors from the form and from core; a valid save changes the salon; managers get 403', async () => {
		const page = await call(salonLoad, as(owner, '/settings'));
		expect(page.salon.slug).toBe('setup');
		expect(page.timeZones).toContain('Europe/Copenhagen');

		const bad = await call(salonActions.save, as(owner, '/settings?/save', { form: { ...salonForm, name: '', slotStepMinutes: 'x' } }));
		expect(bad).toMatchObject({ status: 400, data: { errors: { name: 'Enter the salon name', slotStepMinutes: 'Enter a whole number' }, values: { timeZone: 'Asia/Tbilisi' } } });
		const coreRefuses = await call(salonActions.save, as(owner, '/settings?/save', { form: { ...salonForm, timeZone: 'Mars/Olympus', slotStepMinutes: '1' } }));
		expect(coreRefuses).toMatchObject({ status: 400, data: { errors: { timeZone: 'unknown IANA time zone', slotStepMinutes: expect.any(String) } } });
		expect((await core.catalog.getTenant(salon.tenantId)).name).toBe('Test Salon');

		expect(await call(salonActions.save, as(owner, '/settings?/save', { form: salonForm }))).toEqual({ saved: true });
		expect(await core.catalog.getTenant(salon.tenantId)).toMatchObject({ name: 'Renamed Salon', timeZone: 'Asia/Tbilisi', currency: 'GEL', slotStepMinutes: 30, holdMinutes: 5 });
		// Back to Copenhagen and DKK for the tests below.
		await call(salonActions.save, as(owner, '/settings?/save', { form: { ...salonForm, timeZone: 'Europe/Copenhagen', currency: 'DKK', locale: 'en', country: 'DK', slotStepMinutes: '15' } }));

		const denied = await thrown(() => call(salonActions.save, as(manager, '/settings?/save', { form: salonForm })));
		expect(isHttpError(denied) && denied.status).toBe(403);
	});

	it('services: create with a typed price, edit, field errors; another salon gets 404', async () => {
		const s1 = salon.staffIds[0]!;
		const bad = await call(newServiceActions.save, as(owner, '/settings/services/new?/save', { form: { name: 'Blow-dry', durationMinutes: '0', price: 'lots' } }));
		expect(bad).toMatchObject({ status: 400, data: { errors: { price: 'Enter an amount such as 450.00' } } });
		const coreRefuses = await call(newServiceActions.save, as(owner, '/settings/services/new?/save', { form: { name: 'Blow-dry', durationMinutes: '1', price: '100' } }));
		expect(coreRefuses).toMatchObject({ status: 400, data: { errors: { durationMinutes: expect.any(String) } } });

		const created = await thrown(() =>
			call(
				newServiceActions.save,
				as(owner, '/settings/services/new?/save', {
					form: [
						['name', 'Blow-dry'],
						['category', 'Hair'],
						['durationMinutes', '45'],
						['price', '249,50'],
						['bufferAfterMinutes', '5'],
						['active', 'on'],
						['staffIds', s1]
					]
				})
			)
		);
		expect(isRedirect(created) && created.location).toBe('/settings/services');
		const list = await call(servicesLoad, as(owner, '/settings/services'));
		const blow = list.services.find((s) => s.name === 'Blow-dry')!;
		expect(blow).toMatchObject({ priceMinor: 24950, durationMinutes: 45, bufferAfterMinutes: 5, active: true, staff: ['S1'] });

		const edit = await call(serviceLoad, as(owner, `/settings/services/${blow.id}`, { params: { id: blow.id } }));
		expect(edit.service).toMatchObject({ price: '249.50', durationMinutes: '45', staffIds: [s1] });
		await thrown(() => call(serviceActions.save, as(owner, `/settings/services/${blow.id}?/save`, { params: { id: blow.id }, form: { name: 'Blow-dry', durationMinutes: '50', price: '300' } })));
		expect(await db.prisma.service.findUniqueOrThrow({ where: { id: blow.id } })).toMatchObject({ durationMinutes: 50, priceMinor: 30000, active: false });

		const foreignLoad = await thrown(() => call(serviceLoad, as(other, `/settings/services/${blow.id}`, { params: { id: blow.id } })));
		expect(isHttpError(foreignLoad) && foreignLoad.status).toBe(404);
		const foreignSave = await thrown(() =>
			call(serviceActions.save, as(other, `/settings/services/${blow.id}?/save`, { params: { id: blow.id }, form: { name: 'Hacked', durationMinutes: '50', price: '1' } }))
		);
		expect(isHttpError(foreignSave) && foreignSave.status).toBe(404);
		expect((await db.prisma.service.findUniqueOrThrow({ where: { id: blow.id } })).name).toBe('Blow-dry');
	});

	it('staff: add, services, weekly hours with breaks (errors from the form and from core)', async () => {
		const created = await thrown(() => call(staffListActions.create, as(owner, '/settings/staff?/create', { form: { name: 'Dora' } })));
		if (!isRedirect(created)) throw new Error('expected a redirect to the new staff member');
		const id = created.location.split('/').pop()!;
		expect((await call(staffListLoad, as(owner, '/settings/staff'))).staff.map((s) => s.name)).toContain('Dora');
		expect(await call(staffListActions.create, as(owner, '/settings/staff?/create', { form: { name: '' } }))).toMatchObject({ status: 400, data: { errors: { name: 'Enter a name' } } });

		const details = await call(staffActions.details, as(owner, `/settings/staff/${id}?/details`, { params: { id }, form: [['name', 'Dora K'], ['active', 'on'], ['serviceIds', salon.cutId]] }));
		expect(details).toEqual({ saved: 'details' });
		expect((await call(staffLoad, as(owner, `/settings/staff/${id}`, { params: { id } }))).member).toMatchObject({ name: 'Dora K', active: true, serviceIds: [salon.cutId] });

		const formErrors = await call(staffActions.hours, as(owner, `/settings/staff/${id}?/hours`, { params: { id }, form: { 'work-1-0-start': '10:00', 'work-1-0-end': '09:00' } }));
		expect(formErrors).toMatchObject({ status: 400, data: { section: 'hours', errors: { 'work-1-0-end': 'Must end after it starts' } } });
		const overlapping = await call(
			staffActions.hours,
			as(owner, `/settings/staff/${id}?/hours`, {
				params: { id },
				form: { 'work-3-0-start': '09:00', 'work-3-0-end': '13:00', 'work-3-1-start': '12:00', 'work-3-1-end': '17:00' }
			})
		);
		expect(overlapping).toMatchObject({ status: 400, data: { errors: { form: 'Overlapping ranges on Wednesday' } } });
		const breakOutside = await call(
			staffActions.hours,
			as(owner, `/settings/staff/${id}?/hours`, { params: { id }, form: { 'work-2-0-start': '09:00', 'work-2-0-end': '12:00', 'break-2-0-start': '12:00', 'break-2-0-end': '12:30' } })
		);
		expect(breakOutside).toMatchObject({ status: 400, data: { errors: { form: 'A break on Tuesday lies outside the working hours' } } });

		const ok = await call(
			staffActions.hours,
			as(owner, `/settings/staff/${id}?/hours`, {
				params: { id },
				form: { 'work-1-0-start': '10:00', 'work-1-0-end': '18:00', 'break-1-0-start': '13:00', 'break-1-0-end': '13:30', 'work-1-1-start': '', 'work-1-1-end': '' }
			})
		);
		expect(ok).toEqual({ saved: 'hours' });
		const page = await call(staffLoad, as(owner, `/settings/staff/${id}`, { params: { id } }));
		expect(page.drafts[0]).toEqual({ weekday: 1, work: [{ start: '10:00', end: '18:00' }], breaks: [{ start: '13:00', end: '13:30' }] });
		// Monday 4 March 2030: slots with Dora now start at 10:00 local (09:00Z) and skip the break.
		const slots = await core.availability.findSlotsOnDay({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: id, date: '2030-03-04' });
		expect(slots[0]?.startsAt.toISOString()).toBe('2030-03-04T09:00:00.000Z');
		expect(slots.map((s) => s.startsAt.toISOString())).not.toContain('2030-03-04T11:45:00.000Z');
	});

	it('staff: date overrides and time off in salon time; another salon gets 404 and changes nothing', async () => {
		const id = salon.staffIds[1]!;
		const closed = await call(staffActions.override, as(owner, `/settings/staff/${id}?/override`, { params: { id }, form: { date: '2030-03-05', mode: 'closed' } }));
		expect(closed).toEqual({ saved: 'override' });
		const hours = await call(staffActions.override, as(owner, `/settings/staff/${id}?/override`, { params: { id }, form: { date: '2030-03-06', mode: 'hours', 'range-0-start': '12:00', 'range-0-end': '14:00' } }));
		expect(hours).toEqual({ saved: 'override' });
		const bad = await call(staffActions.override, as(owner, `/settings/staff/${id}?/override`, { params: { id }, form: { date: '', mode: 'hours' } }));
		expect(bad).toMatchObject({ status: 400, data: { section: 'override', errors: { date: 'Pick a date' } } });
		let page = await call(staffLoad, as(owner, `/settings/staff/${id}`, { params: { id } }));
		expect(page.overrides).toEqual([
			{ date: '2030-03-05', ranges: [] },
			{ date: '2030-03-06', ranges: [{ startMinute: 720, endMinute: 840 }] }
		]);
		await call(staffActions.removeOverride, as(owner, `/settings/staff/${id}?/removeOverride`, { params: { id }, form: { date: '2030-03-05' } }));

		const off = await call(staffActions.addTimeOff, as(owner, `/settings/staff/${id}?/addTimeOff`, { params: { id }, form: { from: '2030-07-15T09:00', to: '2030-07-19T17:00', reason: 'Holiday' } }));
		expect(off).toEqual({ saved: 'timeOff' });
		const backwards = await call(staffActions.addTimeOff, as(owner, `/settings/staff/${id}?/addTimeOff`, { params: { id }, form: { from: '2030-07-15T09:00', to: '2030-07-14T09:00' } }));
		expect(backwards).toMatchObject({ status: 400, data: { errors: { to: 'Must end after it starts' } } });
		page = await call(staffLoad, as(owner, `/settings/staff/${id}`, { params: { id } }));
		expect(page.overrides.map((o) => o.date)).toEqual(['2030-03-06']);
		expect(page.timeOff).toEqual([{ id: expect.any(String), startsAt: '2030-07-15T07:00:00.000Z', endsAt: '2030-07-19T15:00:00.000Z', reason: 'Holiday' }]);
		const timeOffId = page.timeOff[0]!.id;

		for (const run of [
			() => call(staffLoad, as(other, `/settings/staff/${id}`, { params: { id } })),
			() => call(staffActions.details, as(other, `/settings/staff/${id}?/details`, { params: { id }, form: { name: 'Hacked' } })),
			() => call(staffActions.hours, as(other, `/settings/staff/${id}?/hours`, { params: { id }, form: {} })),
			() => call(staffActions.removeTimeOff, as(other, `/settings/staff/${id}?/removeTimeOff`, { params: { id }, form: { timeOffId } })),
			() => call(staffActions.removeTimeOff, as(owner, `/settings/staff/${salon.staffIds[0]}?/removeTimeOff`, { params: { id: salon.staffIds[0]! }, form: { timeOffId } }))
		]) {
			const e = await thrown(run);
			expect(isHttpError(e) && e.status).toBe(404);
		}
		expect(await db.prisma.timeOff.count({ where: { id: timeOffId } })).toBe(1);
		expect(await db.prisma.weeklyHours.count({ where: { staffId: id } })).toBeGreaterThan(0);

		expect(await call(staffActions.removeTimeOff, as(owner, `/settings/staff/${id}?/removeTimeOff`, { params: { id }, form: { timeOffId } }))).toEqual({ saved: 'timeOff' });
		expect(await db.prisma.timeOff.count({ where: { id: timeOffId } })).toBe(0);
	});

	it('accounts: invite with a one-time link shown once, a new link, errors; another salon gets 404; managers 403', async () => {
		const bad = await call(accountActions.invite, as(owner, '/settings/accounts?/invite', { form: { name: 'Ben', email: 'nope', role: 'staff', staffId: '' } }));
		expect(bad).toMatchObject({ status: 400, data: { errors: { email: 'Enter a valid email address' } } });
		const invited = await call(
			accountActions.invite,
			as(owner, '/settings/accounts?/invite', { form: { name: 'Ben Staff', email: 'Ben@Setup.test', role: 'staff', staffId: salon.staffIds[0]! } })
		);
		if (!invited || !('link' in invited)) throw new Error('expected a link');
		expect(invited.link).toMatchObject({ name: 'Ben Staff', email: 'ben@setup.test', url: expect.stringMatching(/^http:\/\/admin\.test\/auth\/link\/[A-Za-z0-9_-]{43}$/) });
		const token = invited.link.url.split('/').pop()!;
		expect(await core.auth.inspectSignInLink(token)).toMatchObject({ email: 'ben@setup.test', role: 'staff', staffId: salon.staffIds[0] });
		const taken = await call(accountActions.invite, as(owner, '/settings/accounts?/invite', { form: { name: 'Again', email: 'ben@setup.test', role: 'staff', staffId: '' } }));
		expect(taken).toMatchObject({ status: 400, data: { errors: { email: 'An account with this email exists already' } } });

		const page = await call(accountsLoad, as(owner, '/settings/accounts'));
		const ben = page.accounts.find((a) => a.email === 'ben@setup.test')!;
		expect(ben).toMatchObject({ role: 'staff', hasPassword: false, staffName: 'S1' });
		const again = await call(accountActions.link, as(owner, '/settings/accounts?/link', { form: { accountId: ben.id } }));
		if (!again || !('link' in again)) throw new Error('expected a link');
		expect(await core.auth.inspectSignInLink(token)).toBeNull(); // the earlier link stopped working
		expect(await core.auth.inspectSignInLink(again.link.url.split('/').pop()!)).toMatchObject({ id: ben.id });

		const foreign = await thrown(() => call(accountActions.link, as(other, '/settings/accounts?/link', { form: { accountId: ben.id } })));
		expect(isHttpError(foreign) && foreign.status).toBe(404);
		const denied = await thrown(() => call(accountsLoad, as(manager, '/settings/accounts')));
		expect(isHttpError(denied) && denied.status).toBe(403);
	});
});
