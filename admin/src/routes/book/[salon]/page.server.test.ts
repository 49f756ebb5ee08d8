/**
 * The public booking page's loads and actions against a real PostgreSQL: the steps, holding a
 * time (cookie), the contact step (typed phone on channel "web"), a time taken between the pick
 * and the confirm, and who may see a confirmation.
 */
import { createCore, FixedClock, type Core } from '@chairside/core';
import { createTestDatabase, createTestSalon, type TestDatabase, type TestSalon } from '@chairside/core/testing';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLD_COOKIE, WEB_ID_COOKIE } from '$lib/booking-page/web.server';
import { call, testEvent, thrown } from '$lib/server/testing/events';
import { actions, load } from './+page.server';
import { actions as detailsActions, load as detailsLoad } from './details/+page.server';
import { load as doneLoad } from './done/[id]/+page.server';

type Ev = Parameters<typeof load>[0];
describe('public booking page (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let salon: TestSalon;
	const clock = new FixedClock(new Date('2030-03-04T07:00:00Z')); // Monday 08:00 in Copenhagen

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, clock);
		salon = await createTestSalon(db.prisma, { slug: 'studio' });
	});
	afterAll(async () => db.drop());

	const page = (query = '', cookies: Record<string, string> = {}) => testEvent(core, `/book/studio${query}`, { params: { salon: 'studio' }, cookies });

	it('walks the steps: services, who, days, times; unknown salon or service is a 404', async () => {
		const first = await call(load, page());
		expect(first.step).toBe('service');
		expect(first.services.map((s) => s.name)).toEqual(['Cut', 'Trim']);

		const who = await call(load, page(`?service=${salon.trimId}`));
		expect([who.step, who.staff.map((s) => s.name)]).toEqual(['staff', ['S1']]);

		const days = await call(load, page(`?service=${salon.cutId}&staff=any`));
		expect(days.step).toBe('day');
		expect(days.days[0]).toEqual({ date: '2030-03-04', slotCount: expect.any(Number) });
		expect(days.days.map((d) => d.date)).not.toContain('2030-03-10'); // Sunday: nobody works

		const times = await call(load, page(`?service=${salon.cutId}&staff=${salon.staffIds[1]}&date=2030-03-04`));
		expect(times.step).toBe('time');
		// 09:00 local = 08:00Z; 60-min cut, break 12–13 local.
		expect(times.slots[0]).toBe('2030-03-04T08:00:00.000Z');
		expect(times.slots).not.toContain('2030-03-04T10:30:00.000Z');

		const unknownSalon = await thrown(() => call(load, testEvent(core, '/book/nope', { params: { salon: 'nope' } })));
		expect(isHttpError(unknownSalon) && unknownSalon.status).toBe(404);
		const unknownService = await thrown(() => call(load, page(`?service=00000000-0000-4000-8000-000000000000`)));
		expect(isHttpError(unknownService) && unknownService.status).toBe(404);
		const wrongStaff = await thrown(() => call(load, page(`?service=${salon.trimId}&staff=${salon.staffIds[1]}`)));
		expect(isHttpError(wrongStaff) && wrongStaff.status).toBe(404);
	});

	/** Holds `startsAt` through the page's action; returns the cookies the browser would keep. */
	async function hold(startsAt: string, staff = 'any', cookies: Record<string, string> = {}) {
		const event = testEvent(core, `/book/studio?service=${salon.cutId}&staff=${staff}&date=2030-03-05&/hold`, {
			params: { salon: 'studio' },
			form: { startsAt, service: salon.cutId, staff },
			cookies
		});
		let result: unknown;
		try {
			result = await call(actions.hold, event);
		} catch (e) {
			result = e;
		}
		return { event, result, cookies: Object.fromEntries(event.cookies.values) };
	}

	it('books: hold → phone and name → confirmed on channel "web", shown only to this browser', async () => {
		const { result, cookies } = await hold('2030-03-05T09:00:00.000Z');
		expect(isRedirect(result) && result.location).toBe('/book/studio/details');
		const bookingId = cookies[HOLD_COOKIE]!.split('~')[0]!;
		expect((await core.bookings.getBooking({ tenantId: salon.tenantId, bookingId })).status).toBe('held');

		const details = await call(detailsLoad, testEvent(core, '/book/studio/details', { params: { salon: 'studio' }, cookies }));
		expect(details.booking).toMatchObject({ serviceName: 'Cut', staffName: null, startsAt: '2030-03-05T09:00:00.000Z' });
		expect(details.contact).toEqual({ phone: '', name: '' });

		const bad = testEvent(core, '/book/studio/details?/confirm', { params: { salon: 'studio' }, cookies, form: { phone: '12', name: 'Ida' } });
		expect(await call(detailsActions.confirm, bad)).toMatchObject({ status: 400, data: { errors: { phone: expect.stringMatching(/^Enter a valid phone number, e\.g\. \+45/) } } });
		const empty = testEvent(core, '/book/studio/details?/confirm', { params: { salon: 'studio' }, cookies, form: { phone: '', name: '' } });
		expect(await call(detailsActions.confirm, empty)).toMatchObject({ status: 400, data: { errors: { phone: 'Enter your phone number', name: 'Enter your name' } } });

		const confirm = testEvent(core, '/book/studio/details?/confirm', { params: { salon: 'studio' }, cookies, form: { phone: '20 12 34 56', name: 'Ida Berg' } });
		const done = await thrown(() => call(detailsActions.confirm, confirm));
		expect(isRedirect(done) && done.location).toBe(`/book/studio/done/${bookingId}`);
		const booking = await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId }, include: { client: { include: { identities: true } } } });
		expect(booking).toMatchObject({ status: 'confirmed', channel: 'web', client: { name: 'Ida Berg', phone: '+4520123456', phoneVerified: false } });
		const webId = confirm.cookies.get(WEB_ID_COOKIE)!;
		expect(booking.client!.identities).toMatchObject([{ channel: 'web', externalId: webId }]);
		expect(confirm.cookies.options.get(WEB_ID_COOKIE)).toMatchObject({ httpOnly: true, sameSite: 'lax' });

		const mine = { [WEB_ID_COOKIE]: webId };
		const shown = await call(doneLoad, testEvent(core, `/book/studio/done/${bookingId}`, { params: { salon: 'studio', id: bookingId }, cookies: mine }));
		expect(shown.booking).toMatchObject({ status: 'confirmed', serviceName: 'Cut', clientName: 'Ida Berg', startsAt: '2030-03-05T09:00:00.000Z' });
		for (const other of [{}, { [WEB_ID_COOKIE]: 'A'.repeat(22) }] as Record<string, string>[]) {
			const e = await thrown(() => call(doneLoad, testEvent(core, `/book/studio/done/${bookingId}`, { params: { salon: 'studio', id: bookingId }, cookies: other })));
			expect(isHttpError(e) && e.status).toBe(404);
		}

		// The same browser comes back: recognised, its details filled in, no second client.
		const again = await hold('2030-03-05T12:00:00.000Z', 'any', mine);
		const again2 = await call(detailsLoad, testEvent(core, '/book/studio/details', { params: { salon: 'studio' }, cookies: again.cookies }));
		expect(again2.contact).toEqual({ phone: '+4520123456', name: 'Ida Berg' });
		const second = testEvent(core, '/book/studio/details?/confirm', { params: { salon: 'studio' }, cookies: again.cookies, form: { phone: '+4520123456', name: 'Ida Berg' } });
		await thrown(() => call(detailsActions.confirm, second));
		expect(await db.prisma.client.count({ where: { tenantId: salon.tenantId, phone: '+4520123456' } })).toBe(1);
	});

	it('a typed phone of an existing client never links to that client', async () => {
		const owner = await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: 'Real owner', phone: '+4531313131', phoneVerified: true } });
		const { cookies } = await hold('2030-03-05T13:00:00.000Z');
		const confirm = testEvent(core, '/book/studio/details?/confirm', { params: { salon: 'studio' }, cookies, form: { phone: '31 31 31 31', name: 'Someone else' } });
		await thrown(() => call(detailsActions.confirm, confirm));
		const bookingId = cookies[HOLD_COOKIE]!.split('~')[0]!;
		const booking = await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } });
		expect(booking.status).toBe('confirmed');
		expect(booking.clientId).not.toBe(owner.id);
	});

	it('a time taken before the pick: 409 with alternatives, nothing held', async () => {
		const clientId = (await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: 'Phone caller' } })).id;
		for (const staffId of salon.staffIds) {
			await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId, startsAt: new Date('2030-03-05T14:00:00Z'), channel: 'admin', clientId, actor: 't' });
		}
		const before = await db.prisma.booking.count();
		const { result } = await hold('2030-03-05T14:00:00.000Z');
		expect(result).toMatchObject({ status: 409, data: { hold: { taken: '2030-03-05T14:00:00.000Z', alternatives: expect.arrayContaining([expect.any(String)]) } } });
		const alternatives = (result as { data: { hold: { alternatives: string[] } } }).data.hold.alternatives;
		expect(alternatives).not.toContain('2030-03-05T14:00:00.000Z');
		expect(await db.prisma.booking.count()).toBe(before);
		const offGrid = await hold('2030-03-05T14:07:00.000Z');
		expect(offGrid.result).toMatchObject({ status: 409, data: { hold: { unavailable: true } } });
	});

	it('a time given away between the pick and the confirm: back to the grid with alternatives', async () => {
		const { cookies } = await hold('2030-03-06T09:00:00.000Z', salon.staffIds[0]!);
		const bookingId = cookies[HOLD_COOKIE]!.split('~')[0]!;
		// The hold lapses and a phone booking takes the time (core expires the lapsed hold).
		await db.prisma.booking.update({ where: { id: bookingId }, data: { holdExpiresAt: new Date('2030-03-04T06:00:00Z') } });
		const clientId = (await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: 'Quick' } })).id;
		await core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: salon.staffIds[0]!, startsAt: new Date('2030-03-06T09:00:00Z'), channel: 'admin', clientId, actor: 't' });

		const confirm = testEvent(core, '/book/studio/details?/confirm', { params: { salon: 'studio' }, cookies, form: { phone: '20 99 88 77', name: 'Late' } });
		const r = await thrown(() => call(detailsActions.confirm, confirm));
		expect(isRedirect(r)).toBe(true);
		const location = new URL((r as { location: string }).location, 'http://x');
		expect(location.pathname).toBe('/book/studio');
		expect(Object.fromEntries(location.searchParams)).toMatchObject({ service: salon.cutId, staff: salon.staffIds[0], date: '2030-03-06', taken: '2030-03-06T09:00:00.000Z' });
		expect(location.searchParams.get('alt')!.split(',').length).toBeGreaterThan(0);
		expect(confirm.cookies.options.get(HOLD_COOKIE)).toMatchObject({ deleted: true });

		const grid = await call(load, testEvent(core, `${location.pathname}${location.search}`, { params: { salon: 'studio' } }) as unknown as Ev);
		expect(grid.query.taken).toBe('2030-03-06T09:00:00.000Z');
		expect(grid.slots).not.toContain('2030-03-06T09:00:00.000Z');
		expect(grid.query.alternatives.every((a) => grid.slots.includes(a) || !a.startsWith('2030-03-06'))).toBe(true);
	});

	it('"pick another time" gives the hold back; no hold means the start page', async () => {
		const { cookies } = await hold('2030-03-07T09:00:00.000Z');
		const bookingId = cookies[HOLD_COOKIE]!.split('~')[0]!;
		const release = testEvent(core, '/book/studio/details?/release', { params: { salon: 'studio' }, cookies, form: {} });
		const r = await thrown(() => call(detailsActions.release, release));
		expect(isRedirect(r) && r.location).toBe(`/book/studio?service=${salon.cutId}&staff=any&date=2030-03-07`);
		expect((await db.prisma.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe('expired');
		const none = await thrown(() => call(detailsLoad, testEvent(core, '/book/studio/details', { params: { salon: 'studio' } })));
		expect(isRedirect(none) && none.location).toBe('/book/studio');
	});
});
