import { describe, expect, it } from 'vitest';
import {
	addDays,
	calendarRange,
	instantOf,
	isLocalDate,
	isoWeekday,
	minutesToClock,
	offsetString,
	parseWall,
	shiftWall,
	startOfIsoWeek,
	todayIn,
	wallAt,
	wallClockOf
} from './zone';

const CPH = 'Europe/Copenhagen';

describe('salon wall clock ↔ instants', () => {
	it('shows an instant on the salon clock whatever the process zone is', () => {
		expect(wallClockOf('2030-03-04T08:00:00Z', CPH)).toBe('2030-03-04T09:00:00');
		expect(wallClockOf('2030-07-04T08:00:00Z', CPH)).toBe('2030-07-04T10:00:00');
		expect(wallClockOf('2030-03-04T03:30:00Z', 'America/New_York')).toBe('2030-03-03T22:30:00');
		expect(wallClockOf(Date.UTC(2030, 0, 1, 23, 59, 59), 'Asia/Kolkata')).toBe('2030-01-02T05:29:59');
	});

	it('turns a salon wall time back into the instant, both ways round', () => {
		expect(instantOf('2030-03-04T09:00', CPH).toISOString()).toBe('2030-03-04T08:00:00.000Z');
		expect(instantOf('2030-07-04T10:15:00', CPH).toISOString()).toBe('2030-07-04T08:15:00.000Z');
		expect(instantOf('2030-03-03T22:30', 'America/New_York').toISOString()).toBe('2030-03-04T03:30:00.000Z');
		for (const t of ['2030-01-15T07:45:00Z', '2030-06-30T22:00:00Z', '2030-10-27T00:30:00Z']) {
			expect(instantOf(wallClockOf(t, CPH), CPH).toISOString()).toBe(new Date(t).toISOString());
		}
	});

	it('follows core for DST: a gap snaps to its end, a fold takes the first occurrence', () => {
		// 2027-03-28 02:00 → 03:00 in Copenhagen (01:00Z).
		expect(instantOf('2027-03-28T02:30', CPH).toISOString()).toBe('2027-03-28T01:00:00.000Z');
		expect(instantOf('2027-03-28T03:00', CPH).toISOString()).toBe('2027-03-28T01:00:00.000Z');
		expect(instantOf('2027-03-28T01:59', CPH).toISOString()).toBe('2027-03-28T00:59:00.000Z');
		// 2027-10-31 03:00 → 02:00: 02:30 happens at 00:30Z and again at 01:30Z.
		expect(instantOf('2027-10-31T02:30', CPH).toISOString()).toBe('2027-10-31T00:30:00.000Z');
		expect(wallClockOf('2027-10-31T01:30:00Z', CPH)).toBe('2027-10-31T02:30:00');
	});

	it('rejects malformed or impossible wall times', () => {
		expect(() => instantOf('2030-02-31T09:00', CPH)).toThrow(RangeError);
		expect(() => instantOf('09:00', CPH)).toThrow(RangeError);
		expect(Number.isNaN(parseWall('2030-03-04T24:00'))).toBe(true);
		expect(parseWall('2030-03-04T09:15')).toBe(Date.UTC(2030, 2, 4, 9, 15));
	});

	it('gives the offset string the calendar library takes', () => {
		expect(offsetString(new Date('2030-01-01T12:00:00Z'), CPH)).toBe('+01:00');
		expect(offsetString(new Date('2030-07-01T12:00:00Z'), CPH)).toBe('+02:00');
		expect(offsetString(new Date('2030-01-01T12:00:00Z'), 'America/St_Johns')).toBe('-03:30');
		expect(offsetString(new Date('2030-01-01T12:00:00Z'), 'UTC')).toBe('+00:00');
	});
});

describe('local dates and ranges', () => {
	it('knows today in the salon, which may differ from UTC', () => {
		expect(todayIn(CPH, new Date('2030-03-04T23:30:00Z'))).toBe('2030-03-05');
		expect(todayIn('America/New_York', new Date('2030-03-04T03:00:00Z'))).toBe('2030-03-03');
	});

	it('does date arithmetic on local dates', () => {
		expect(addDays('2030-02-28', 1)).toBe('2030-03-01');
		expect(addDays('2030-01-01', -1)).toBe('2029-12-31');
		expect(isoWeekday('2030-03-04')).toBe(1);
		expect(isoWeekday('2030-03-10')).toBe(7);
		expect(startOfIsoWeek('2030-03-10')).toBe('2030-03-04');
		expect(startOfIsoWeek('2030-03-04')).toBe('2030-03-04');
		expect(isLocalDate('2030-02-29')).toBe(false);
		expect(isLocalDate('2028-02-29')).toBe(true);
		expect(isLocalDate('2028-2-9')).toBe(false);
	});

	it('moves wall times by a drag delta and builds wall times from minutes', () => {
		expect(shiftWall('2030-03-04T10:00:00', 90 * 60)).toBe('2030-03-04T11:30:00');
		expect(shiftWall('2030-03-04T23:30:00', 86_400 + 3600)).toBe('2030-03-06T00:30:00');
		expect(wallAt('2030-03-04', 9 * 60 + 30)).toBe('2030-03-04T09:30:00');
		expect(wallAt('2030-03-04', 1440)).toBe('2030-03-05T00:00:00');
		expect(minutesToClock(17 * 60 + 5)).toBe('17:05:00');
		expect(minutesToClock(1440)).toBe('24:00:00');
	});

	it('bounds a day and an ISO week in the salon zone, DST weeks included', () => {
		const day = calendarRange('2030-03-06', 'day', CPH);
		expect(day.days).toEqual(['2030-03-06']);
		expect([day.from.toISOString(), day.to.toISOString()]).toEqual(['2030-03-05T23:00:00.000Z', '2030-03-06T23:00:00.000Z']);
		const week = calendarRange('2027-03-31', 'week', CPH);
		expect(week.start).toBe('2027-03-29');
		expect(week.days).toHaveLength(7);
		expect(week.days.at(-1)).toBe('2027-04-04');
		const dstWeek = calendarRange('2027-03-28', 'week', CPH);
		expect([dstWeek.from.toISOString(), dstWeek.to.toISOString()]).toEqual(['2027-03-21T23:00:00.000Z', '2027-03-28T22:00:00.000Z']);
	});
});
