import { createCore, FixedClock, seedDemoSalon, type AccountView, type Core, type StaffRole, type TenantView } from '@chairside/core';
import { createTestDatabase, type TestDatabase } from '@chairside/core/testing';
import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingFeedFor } from '$lib/calendar/feed.server';
import type { CalendarData } from '$lib/calendar/types';
import { instantOf } from '$lib/zone';
import { testEvent, thrown } from '$lib/server/testing/events';
import { actions, load } from './+page.server';
import { GET as bookingGET } from './bookings/[id]/+server';
import { GET as clientsGET } from './clients/+server';
import { GET as feedGET } from './feed/+server';

type Any = never;
const CPH = 'Europe/Copenhagen';
/** Tuesday 5 March 2030: Anna 09–17 (break 12:30–13:00), Ben 11–19 (break 15:00–15:30), Clara 09–18 (break 13–14). */
const DAY = '2030-03-05';
const wall = (time: string) => instantOf(`${DAY}T${time}`, CPH);

describe('calendar page: load, actions and endpoints (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let tenant: TenantView;
	let staff: Record<'Anna' | 'Ben' | 'Clara', string>;
	let services: Record<string, string>;
	let manager: AccountView;
	let annaAccount: AccountView;
	let n = 0;

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(new Date('2030-03-04T07:00:00Z'))); // Monday 08:00 in Copenhagen
		tenant = (await seedDemoSalon(db.prisma))!;
		const list = await core.catalogAdmin.listStaffForAdmin(tenant.id, core.clock.now());
		staff = Object.fromEntries(list.map((s) => [s.name, s.id])) as typeof staff;
		services = Object.fromEntries((await core.catalog.listServices(tenant.id)).map((s) => [s.name, s.id]));
		manager = await account('manager');
		annaAccount = await account('staff', staff.Anna);
	});
	afterAll(async () => {
		bookingFeedFor(core).close();
		await db.drop();
	});

	function account(role: StaffRole, staffId: string | null = null) {
		n++;
		return core.auth.createAccount({ tenantId: tenant.id, email: `cal${n}@admin.test`, name: `${role} ${n}`, role, staffId });
	}
	const who = (a: AccountView) => ({ account: a, tenant });
	async function loadAs(a: AccountView, query: string): Promise<CalendarData> {
		const event = { ...testEvent(core, `/calendar${query}`, { who: who(a) }), depends: () => {} };
		return (await load(event as Any)) as CalendarData;
	}
	const post = (action: keyof typeof actions, a: AccountView, form: Record<string, string>) =>
		actions[action](testEvent(core, `/calendar?/${action}`, { form, who: who(a) }) as Any) as Promise<Record<string, unknown> & { status?: number; data?: Record<string, unknown> }>;
	async function clientId(name: string) {
		return (await core.crm.createClient({ tenantId: tenant.id, name, phone: `+453441${String(++n).padStart(4, '0')}` })).id;
	}
	async function book(staffName: keyof typeof staff, time: string, client: string, service = "Men's haircut", channel = 'telegram') {
		return core.bookings.book({ tenantId: tenant.id, serviceId: services[service]!, staffId: staff[staffName], startsAt: wall(time), channel, clientId: client, actor: 'client:x' });
	}
	const status = (e: unknown) => (isHttpError(e) ? e.status : e);

	it('loads a day in the salon zone: every column, hours, services, bookings in wall-clock time', async () => {
		const eva = await clientId('Eva Load');
		const b = await book('Ben', '11:00', eva);
		const data = await loadAs(manager, `?date=${DAY}&view=day`);
		expect(data).toMatchObject({ date: DAY, view: 'day', today: '2030-03-04', days: [DAY], slotStepMinutes: 15, seesAll: true, canLookUpClients: true });
		expect(data.staff.map((s) => s.name)).toEqual(['Anna', 'Ben', 'Clara']);
		expect(data.staff.find((s) => s.name === 'Ben')!.serviceIds).toContain(services['Beard trim']);
		expect(data.schedules.find((s) => s.id === staff.Anna)!.weekly.find((w) => w.weekday === 2)).toEqual({
			weekday: 2,
			work: [{ startMinute: 540, endMinute: 1020 }],
			breaks: [{ startMinute: 750, endMinute: 780 }]
		});
		expect(data.services.map((s) => s.name)).toEqual(expect.arrayContaining(['Colour', 'Beard trim']));
		expect(data.bookings).toEqual([
			expect.objectContaining({ id: b.id, start: `${DAY}T11:00:00`, end: `${DAY}T11:30:00`, staffName: 'Ben', clientName: 'Eva Load', status: 'confirmed', channel: 'telegram', movable: true })
		]);
		expect(data.version).toBe(await bookingFeedFor(core).version(tenant.id));

		const week = await loadAs(manager, `?date=${DAY}&view=week`);
		expect(week.days).toEqual(['2030-03-04', DAY, '2030-03-06', '2030-03-07', '2030-03-08', '2030-03-09', '2030-03-10']);
		const fallback = await loadAs(manager, '?date=2030-02-31&view=month');
		expect([fallback.date, fallback.view]).toEqual(['2030-03-04', 'day']);
	});

	it('a staff account sees only its own column; one without a column sees none', async () => {
		const own = await loadAs(annaAccount, `?date=${DAY}`);
		expect(own.staff.map((s) => s.name)).toEqual(['Anna']);
		expect(own.seesAll).toBe(false);
		expect(own.bookings.every((b) => b.staffId === staff.Anna)).toBe(true);
		const unlinked = await loadAs(await account('staff'), `?date=${DAY}`);
		expect([unlinked.staff, unlinked.bookings]).toEqual([[], []]);
	});

	it('books a new client at the desk: one transaction of client + booking, channel admin, actor staff:<account>', async () => {
		const result = await post('book', manager, { staffId: staff.Anna, date: DAY, time: '10:00', serviceId: services["Women's haircut"]!, client: 'new', clientName: 'Nora New', clientPhone: '20 11 22 33' });
		expect(result).toMatchObject({ action: 'book', booking: { start: `${DAY}T10:00:00`, staffName: 'Anna', clientName: 'Nora New', clientPhone: '+4520112233', channel: 'admin', status: 'confirmed' } });
		const id = (result.booking as { id: string }).id;
		const history = await core.bookings.history({ tenantId: tenant.id, bookingId: id });
		expect(history.at(-1)).toMatchObject({ type: 'confirmed', actor: `staff:${manager.id}` });
	});

	it('answers field errors for a bad form, and a service the staff member does not do', async () => {
		const empty = await post('book', manager, { staffId: staff.Anna, date: DAY, time: '9:5', client: 'existing' });
		expect(empty).toMatchObject({ status: 400, data: { errors: { time: 'Enter a time such as 09:30', serviceId: 'Choose a service', clientId: 'Choose a client, or add a new one' } } });
		const noName = await post('book', manager, { staffId: staff.Anna, date: DAY, time: '09:00', serviceId: services.Colour!, client: 'new' });
		expect(noName).toMatchObject({ status: 400, data: { errors: { clientName: "Enter the client's name", clientPhone: "Enter the client's phone number" } } });
		const colour = await post('book', manager, { staffId: staff.Anna, date: DAY, time: '09:00', serviceId: services.Colour!, client: 'existing', clientId: await clientId('X') });
		expect(colour).toMatchObject({ status: 400, data: { errors: { serviceId: 'Anna does not do this service' } } });
		const badPhone = await post('book', manager, { staffId: staff.Anna, date: DAY, time: '09:00', serviceId: services["Men's haircut"]!, client: 'new', clientName: 'P', clientPhone: '12' });
		expect(badPhone).toMatchObject({ status: 400, data: { errors: { clientPhone: expect.any(String) } } });
		const foreign = await post('book', manager, { staffId: staff.Anna, date: DAY, time: '09:00', serviceId: services["Men's haircut"]!, client: 'existing', clientId: '00000000-0000-4000-8000-000000000000' });
		expect(foreign).toMatchObject({ status: 400, data: { errors: { clientId: 'Choose a client, or add a new one' } } });
	});

	it('a taken time answers 409 with who has it and free times; a new client is kept for the retry, not added twice', async () => {
		await book('Clara', '15:00', await clientId('Tess Telegram'));
		const clientsBefore = await db.prisma.client.count();
		const refused = await post('book', manager, { staffId: staff.Clara, date: DAY, time: '15:00', serviceId: services["Men's haircut"]!, client: 'new', clientName: 'Rita Retry', clientPhone: '+4520998877' });
		expect(refused).toMatchObject({ status: 409, data: { errors: { form: expect.stringMatching(/^Clara already has a booking then: Tess Telegram, /) } } });
		const data = refused.data as { clientId: string; alternatives: { start: string; staffIds: string[] }[]; values: Record<string, string> };
		expect(data.alternatives.length).toBeGreaterThan(0);
		expect(data.alternatives.every((a) => a.staffIds.includes(staff.Clara) && a.start.startsWith('2030-03'))).toBe(true);
		expect(data.values).toMatchObject({ client: 'existing', clientId: data.clientId });
		expect(await db.prisma.client.count()).toBe(clientsBefore + 1);

		const retry = await post('book', manager, { staffId: staff.Clara, date: DAY, time: data.alternatives[0]!.start.slice(11, 16), serviceId: services["Men's haircut"]!, client: 'existing', clientId: data.clientId });
		expect(retry).toMatchObject({ booking: { clientName: 'Rita Retry', staffName: 'Clara' } });
		expect(await db.prisma.client.count()).toBe(clientsBefore + 1);

		const closed = await post('book', manager, { staffId: staff.Anna, date: DAY, time: '18:00', serviceId: services["Men's haircut"]!, client: 'existing', clientId: data.clientId });
		expect(closed).toMatchObject({ status: 409, data: { errors: { form: expect.stringContaining('is not a bookable time for Anna') } } });
	});

	it('a staff account books and moves only in its own column (403 elsewhere, nothing written)', async () => {
		const c = await clientId('Own Column');
		const before = await db.prisma.booking.count();
		const elsewhere = await thrown(() => post('book', annaAccount, { staffId: staff.Ben, date: DAY, time: '12:00', serviceId: services["Men's haircut"]!, client: 'existing', clientId: c }));
		expect(status(elsewhere)).toBe(403);
		const bens = await book('Ben', '16:00', c);
		expect(status(await thrown(() => post('reschedule', annaAccount, { bookingId: bens.id, staffId: staff.Anna, start: `${DAY}T14:00` })))).toBe(403);
		expect(status(await thrown(() => post('status', annaAccount, { bookingId: bens.id, status: 'arrived' })))).toBe(403);
		expect(status(await thrown(() => post('cancel', annaAccount, { bookingId: bens.id })))).toBe(403);
		expect(await db.prisma.booking.count()).toBe(before + 1);
		const own = await post('book', annaAccount, { staffId: staff.Anna, date: DAY, time: '14:00', serviceId: services["Men's haircut"]!, client: 'existing', clientId: c });
		expect(own).toMatchObject({ booking: { staffName: 'Anna', start: `${DAY}T14:00:00` } });
		const unknown = '00000000-0000-4000-8000-000000000000';
		expect(status(await thrown(() => post('status', manager, { bookingId: unknown, status: 'arrived' })))).toBe(404);
		expect(status(await thrown(() => post('cancel', manager, { bookingId: unknown })))).toBe(404);
		expect(status(await thrown(() => post('reschedule', manager, { bookingId: unknown, staffId: staff.Anna, start: `${DAY}T14:00` })))).toBe(404);
	});

	it('moves a booking to another column and time; a collision is refused with the reason and nothing changes', async () => {
		const c = await clientId('Mia Move');
		const mine = await book('Anna', '09:00', c, "Men's haircut", 'admin');
		const moved = await post('reschedule', manager, { bookingId: mine.id, staffId: staff.Clara, start: `${DAY}T10:30:00` });
		expect(moved).toMatchObject({ action: 'reschedule', booking: { staffName: 'Clara', start: `${DAY}T10:30:00`, end: `${DAY}T11:00:00` } });
		const history = await core.bookings.history({ tenantId: tenant.id, bookingId: mine.id });
		expect(history.at(-1)).toMatchObject({ type: 'rescheduled', actor: `staff:${manager.id}` });

		// Someone books Clara at 11:15 through Telegram; moving onto it is refused by core and the database.
		await book('Clara', '11:15', await clientId('Tom Telegram'));
		const refused = await post('reschedule', manager, { bookingId: mine.id, staffId: staff.Clara, start: `${DAY}T11:30` });
		expect(refused).toMatchObject({ status: 409, data: { action: 'reschedule', message: expect.stringMatching(/^Clara already has a booking then: Tom Telegram, /) } });
		expect(((refused.data as { alternatives: unknown[] }).alternatives).length).toBeGreaterThan(0);
		const after = await core.bookings.getBooking({ tenantId: tenant.id, bookingId: mine.id });
		expect([after.staffId, after.startsAt.toISOString()]).toEqual([staff.Clara, wall('10:30').toISOString()]);

		const beard = await post('reschedule', manager, { bookingId: (await book('Ben', '17:00', c, 'Beard trim')).id, staffId: staff.Anna, start: `${DAY}T10:00` });
		expect(beard).toMatchObject({ status: 409, data: { message: 'Anna does not do Beard trim.' } });
		const malformed = await post('reschedule', manager, { bookingId: mine.id, staffId: staff.Clara, start: 'tomorrow' });
		expect(malformed).toMatchObject({ status: 400, data: { errors: { start: 'Not a date and time' } } });
	});

	it('marks arrived, completed, no-show along the allowed paths; cancels; refuses the rest with 409', async () => {
		const c = await clientId('Stan Status');
		const b = await book('Anna', '15:00', c);
		expect(await post('status', manager, { bookingId: b.id, status: 'arrived' })).toMatchObject({ booking: { status: 'arrived' } });
		expect(await post('status', manager, { bookingId: b.id, status: 'completed' })).toMatchObject({ booking: { status: 'completed', movable: false } });
		expect(await post('status', manager, { bookingId: b.id, status: 'no_show' })).toMatchObject({ status: 409, data: { message: 'A completed booking cannot become no_show' } });
		expect(await post('status', manager, { bookingId: b.id, status: 'gone' })).toMatchObject({ status: 400, data: { message: 'Unknown status' } });

		const other = await book('Anna', '16:00', c);
		expect(await post('cancel', annaAccount, { bookingId: other.id, reason: 'Called in sick' })).toMatchObject({ booking: { status: 'cancelled' } });
		expect(await post('cancel', manager, { bookingId: b.id })).toMatchObject({ status: 409 });
		const details = await bookingGET({ locals: testEvent(core, '/', { who: who(manager) }).locals, params: { id: other.id } } as Any);
		const body = (await details.json()) as { booking: { status: string }; history: { what: string; who: string; detail: string }[] };
		expect(body.booking.status).toBe('cancelled');
		expect(body.history.map((h) => h.what)).toEqual(['Time held', 'Booked', 'Cancelled']);
		expect(body.history.at(-1)).toMatchObject({ who: annaAccount.name, detail: 'Called in sick' });
	});

	it('details: 404 for an unknown id, 403 for another staff member’s booking when limited to one column', async () => {
		const bens = await book('Ben', '18:00', await clientId('Ben Client'));
		const locals = testEvent(core, '/', { who: who(annaAccount) }).locals;
		expect(status(await thrown(() => bookingGET({ locals, params: { id: bens.id } } as Any)))).toBe(403);
		expect(status(await thrown(() => bookingGET({ locals, params: { id: 'nope' } } as Any)))).toBe(404);
		expect(status(await thrown(() => bookingGET({ locals, params: { id: '00000000-0000-4000-8000-000000000000' } } as Any)))).toBe(404);
	});

	it('client search finds by name or phone for staff ("clients:lookup")', async () => {
		await core.crm.createClient({ tenantId: tenant.id, name: 'Sofie Search', phone: '+4531234567' });
		const search = async (q: string) => {
			const event = testEvent(core, `/calendar/clients?q=${encodeURIComponent(q)}`, { who: who(annaAccount) });
			return ((await (await clientsGET(event as Any)).json()) as { clients: { name: string }[] }).clients.map((c) => c.name);
		};
		expect(await search('sofie')).toEqual(['Sofie Search']);
		expect(await search('31 23 45')).toEqual(['Sofie Search']);
		expect(await search('')).toEqual([]);
	});

	it('the live feed streams a `changed` event when the salon’s bookings change, and stops polling when the browser leaves', async () => {
		const feed = bookingFeedFor(core);
		const since = await feed.version(tenant.id);
		const aborter = new AbortController();
		const event = testEvent(core, `/calendar/feed?since=${since}`, { who: who(manager) });
		const request = new Request(event.url, { signal: aborter.signal });
		const response = await feedGET({ ...event, request } as Any);
		expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		const reader = response.body!.getReader();
		const decoder = new TextDecoder();
		expect(decoder.decode((await reader.read()).value)).toBe('retry: 3000\n\n');
		expect(feed.size).toBe(1);

		await book('Clara', '16:30', await clientId('Live Lena'));
		let text = '';
		while (!text.includes('event: changed')) text += decoder.decode((await reader.read()).value);
		expect(text).toMatch(/^event: changed\ndata: \{"version":"\d+:\d+"\}\n\n/);

		await reader.cancel();
		aborter.abort();
		expect(feed.size).toBe(0);
	});
});
