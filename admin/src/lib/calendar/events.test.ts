import { describe, expect, it } from 'vitest';
import { bookingEvent, bookingOf, dayHours, scheduleEvents, toCalendarBooking, visibleHours, type BookingViewLike, type StaffSchedule } from './events';

const CPH = 'Europe/Copenhagen';

const view: BookingViewLike = {
	id: 'b1',
	status: 'confirmed',
	startsAt: new Date('2030-03-05T09:00:00Z'),
	endsAt: new Date('2030-03-05T10:00:00Z'),
	serviceId: 'svc',
	serviceName: "Women's haircut",
	staffId: 'anna',
	staffName: 'Anna',
	clientId: 'c1',
	clientName: 'Eva',
	clientPhone: '+4520112233',
	channel: 'telegram',
	priceMinor: 45000,
	currency: 'DKK',
	holdExpiresAt: null
};

const anna: StaffSchedule = {
	id: 'anna',
	weekly: [
		{ weekday: 2, work: [{ startMinute: 540, endMinute: 1020 }], breaks: [{ startMinute: 750, endMinute: 780 }] },
		{ weekday: 3, work: [{ startMinute: 600, endMinute: 900 }], breaks: [] }
	],
	overrides: [{ date: '2030-03-07', ranges: [] }],
	timeOff: [{ id: 't1', startsAt: '2030-03-06T12:00:00Z', endsAt: '2030-03-10T12:00:00Z', reason: 'Holiday' }]
};

describe('bookings on the calendar', () => {
	it('puts a booking in its staff column at the salon wall clock, whatever the process zone', () => {
		const b = toCalendarBooking(view, CPH, new Date('2030-03-04T00:00:00Z'));
		expect(b).toMatchObject({ start: '2030-03-05T10:00:00', end: '2030-03-05T11:00:00', startsAt: '2030-03-05T09:00:00.000Z', movable: true });
		const e = bookingEvent(b);
		expect(e).toMatchObject({
			id: 'b1',
			resourceId: 'anna',
			start: '2030-03-05T10:00:00',
			end: '2030-03-05T11:00:00',
			title: "Eva · Women's haircut",
			classNames: ['bk', 'bk-confirmed'],
			startEditable: true,
			durationEditable: false
		});
		expect(bookingOf({ extendedProps: e.extendedProps! })).toBe(b);
		expect(bookingOf({ extendedProps: { kind: 'schedule' } })).toBeNull();
	});

	it('only confirmed or arrived bookings that are not over may be dragged', () => {
		const now = new Date('2030-03-05T09:30:00Z');
		expect(toCalendarBooking({ ...view, status: 'arrived' }, CPH, now).movable).toBe(true);
		expect(toCalendarBooking(view, CPH, new Date('2030-03-05T10:00:00Z')).movable).toBe(false);
		for (const status of ['held', 'completed', 'no_show', 'cancelled'] as const) {
			const b = toCalendarBooking({ ...view, status }, CPH, now);
			expect([status, b.movable, bookingEvent(b).classNames]).toEqual([status, false, ['bk', `bk-${status}`]]);
		}
		expect(bookingEvent(toCalendarBooking({ ...view, clientName: null }, CPH, now)).title).toBe("No client · Women's haircut");
	});
});

describe('working hours, breaks and time off', () => {
	it('uses the weekly hours, or a date override instead of hours and breaks', () => {
		expect(dayHours(anna, '2030-03-05')).toEqual({ work: [{ startMinute: 540, endMinute: 1020 }], breaks: [{ startMinute: 750, endMinute: 780 }] });
		expect(dayHours(anna, '2030-03-07')).toEqual({ work: [], breaks: [] });
		expect(dayHours(anna, '2030-03-10')).toEqual({ work: [], breaks: [] });
	});

	it('shades working hours, labels breaks and time off (clipped to the days shown)', () => {
		const events = scheduleEvents([anna], ['2030-03-05', '2030-03-06'], CPH);
		expect(events.map((e) => [e.classNames, e.start, e.end, (e.extendedProps as { label: string }).label])).toEqual([
			[['sched-work'], '2030-03-05T09:00:00', '2030-03-05T17:00:00', 'Working hours'],
			[['sched-break'], '2030-03-05T12:30:00', '2030-03-05T13:00:00', 'Break'],
			[['sched-work'], '2030-03-06T10:00:00', '2030-03-06T15:00:00', 'Working hours'],
			[['sched-time-off'], '2030-03-06T13:00:00', '2030-03-07T00:00:00', 'Time off: Holiday']
		]);
		expect(events.every((e) => e.display === 'background' && e.resourceId === 'anna')).toBe(true);
		expect(scheduleEvents([anna], ['2030-03-04'], CPH).filter((e) => (e.classNames as string[])[0] === 'sched-time-off')).toEqual([]);
	});

	it('shows the hours from the earliest start to the latest end, an hour to spare, bookings included', () => {
		expect(visibleHours([anna], ['2030-03-05'], [])).toEqual({ min: 480, max: 1080 });
		expect(visibleHours([anna], ['2030-03-05'], [{ start: '2030-03-05T07:15:00', end: '2030-03-05T08:00:00' }])).toEqual({ min: 360, max: 1080 });
		expect(visibleHours([anna], ['2030-03-05'], [{ start: '2030-03-05T22:30:00', end: '2030-03-06T00:30:00' }])).toEqual({ min: 480, max: 1440 });
		expect(visibleHours([], ['2030-03-05'], [])).toEqual({ min: 480, max: 1200 });
	});
});
