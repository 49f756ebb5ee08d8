import { describe, expect, it } from 'vitest';
import { contactSchema, groupByDayPart, holdSchema, localDateLabel, offeredAlternatives, readBookingQuery, staffIdOf, stepOf } from './steps';

const S = '11111111-1111-4111-8111-111111111111';
const T = '22222222-2222-4222-8222-222222222222';
const q = (s: string) => readBookingQuery(new URLSearchParams(s));

describe('booking page steps from the URL', () => {
	it('walks service → staff → day → time', () => {
		expect(stepOf(q(''))).toBe('service');
		expect(stepOf(q(`service=${S}`))).toBe('staff');
		expect(stepOf(q(`service=${S}&staff=any`))).toBe('day');
		expect(stepOf(q(`service=${S}&staff=${T}&date=2030-03-04`))).toBe('time');
		expect(q(`service=${S}&staff=${T}&date=2030-03-04`)).toMatchObject({ serviceId: S, staff: T, date: '2030-03-04' });
	});

	it('drops a malformed parameter and what depends on it', () => {
		expect(q(`service=x&staff=any&date=2030-03-04`)).toMatchObject({ serviceId: null, staff: null, date: null });
		expect(q(`service=${S}&staff=bob&date=2030-03-04`)).toMatchObject({ serviceId: S, staff: null, date: null });
		expect(q(`service=${S}&staff=any&date=4/3/2030`)).toMatchObject({ staff: 'any', date: null });
	});

	it('reads a taken slot and its alternatives', () => {
		const query = q(`taken=2030-03-04T09:00:00.000Z&alt=2030-03-04T09:15:00.000Z,nonsense,2030-03-04T10:00:00.000Z&lost=1`);
		expect(query).toMatchObject({ taken: '2030-03-04T09:00:00.000Z', alternatives: ['2030-03-04T09:15:00.000Z', '2030-03-04T10:00:00.000Z'], lost: true });
		expect(q('').alternatives).toEqual([]);
	});

	it('offers alternatives the chosen staff member can do, in time order', () => {
		const alts = [
			{ startsAt: new Date('2030-03-04T10:00:00Z'), staffIds: [S] },
			{ startsAt: new Date('2030-03-04T08:00:00Z'), staffIds: [T] },
			{ startsAt: '2030-03-04T09:00:00.000Z', staffIds: [S, T] }
		];
		expect(offeredAlternatives(alts, null)).toEqual(['2030-03-04T08:00:00.000Z', '2030-03-04T09:00:00.000Z', '2030-03-04T10:00:00.000Z']);
		expect(offeredAlternatives(alts, S)).toEqual(['2030-03-04T09:00:00.000Z', '2030-03-04T10:00:00.000Z']);
		expect(offeredAlternatives(alts, null, 1)).toEqual(['2030-03-04T08:00:00.000Z']);
		expect(staffIdOf('any')).toBeNull();
		expect(staffIdOf(S)).toBe(S);
	});

	it('groups the grid by part of the day', () => {
		expect(groupByDayPart([540, 719, 720, 1019, 1020], (m) => m)).toEqual([
			{ part: 'morning', slots: [540, 719] },
			{ part: 'afternoon', slots: [720, 1019] },
			{ part: 'evening', slots: [1020] }
		]);
		expect(groupByDayPart([800], (m) => m)).toEqual([{ part: 'afternoon', slots: [800] }]);
	});

	it('validates the contact and hold forms', () => {
		expect(contactSchema.safeParse({ phone: ' 20 12 34 56 ', name: '  Ida   Berg ' }).data).toEqual({ phone: '20 12 34 56', name: 'Ida Berg' });
		const bad = contactSchema.safeParse({ phone: '', name: '123' });
		expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
			['phone', 'Enter your phone number'],
			['name', 'Enter your name']
		]);
		expect(holdSchema.safeParse({ startsAt: '2030-03-04T09:00:00.000Z', service: S, staff: 'any' }).data).toEqual({ startsAt: new Date('2030-03-04T09:00:00Z'), service: S, staff: 'any' });
		expect(holdSchema.safeParse({ startsAt: 'tomorrow', service: S, staff: 'any' }).success).toBe(false);
		expect(holdSchema.safeParse({ startsAt: '2030-03-04T09:00:00.000Z', service: S, staff: 'bob' }).success).toBe(false);
	});
});

describe('local date labels', () => {
	it('names a local date without shifting it by a zone', () => {
		expect(localDateLabel('2030-03-04', 'en')).toBe('Monday, March 4');
		expect(localDateLabel('2030-03-04', 'en-GB')).toBe('Monday 4 March');
		expect(localDateLabel('2030-03-04', 'da-DK')).toBe('mandag 4. marts');
	});
});

describe('booking page routes', async () => {
	const { routes } = await import('$lib/routes');
	it('carry the steps in the query and name form actions after it', () => {
		expect(routes.book('demo')).toBe('/book/demo');
		expect(routes.book('demo', { service: S, staff: 'any', date: '2030-03-04' })).toBe(`/book/demo?service=${S}&staff=any&date=2030-03-04`);
		expect(routes.book('demo', { lost: 1 })).toBe('/book/demo?lost=1');
		expect(routes.formAction(routes.book('demo', { service: S }), 'hold')).toBe(`/book/demo?service=${S}&/hold`);
		expect(routes.formAction(routes.bookDetails('demo'), 'confirm')).toBe('/book/demo/details?/confirm');
		expect(routes.bookDone('a b', 'x')).toBe('/book/a%20b/done/x');
		expect(routes.clientMerge('k', { q: 'eva', with: 'd' })).toBe('/clients/k/merge?q=eva&with=d');
		expect(routes.client('k', { notice: 'merged' })).toBe('/clients/k?notice=merged');
	});
});
