import { describe, expect, it } from 'vitest';
import { formatMinutes, fromDateTimeLocal, instantToLocal, localToInstant, parseTimeOfDay, toDateTimeLocal, weekdayName } from './time';

describe('HH:MM ↔ minutes', () => {
	it('formats minutes after midnight, the end of the day included', () => {
		expect(formatMinutes(0)).toBe('00:00');
		expect(formatMinutes(9 * 60 + 5)).toBe('09:05');
		expect(formatMinutes(1440)).toBe('24:00');
	});

	it('reads HH:MM and H:MM, refuses everything else', () => {
		expect(parseTimeOfDay('09:30')).toBe(570);
		expect(parseTimeOfDay(' 9:30 ')).toBe(570);
		expect(parseTimeOfDay('00:00')).toBe(0);
		expect(parseTimeOfDay('24:00')).toBe(1440);
		for (const bad of ['', '9', '930', '24:01', '25:00', '09:60', '9.30', 'ab:cd', '-1:00']) expect([bad, parseTimeOfDay(bad)]).toEqual([bad, null]);
	});

	it('round-trips every quarter hour', () => {
		for (let m = 0; m <= 1440; m += 15) expect(parseTimeOfDay(formatMinutes(m))).toBe(m);
	});

	it('names weekdays in the salon locale', () => {
		expect(weekdayName(1, 'en')).toBe('Monday');
		expect(weekdayName(7, 'en', 'short')).toBe('Sun');
		expect(weekdayName(3, 'da-DK')).toBe('onsdag');
	});
});

describe('salon-local time ↔ UTC instants', () => {
	it('converts in a zone with daylight saving, on both sides of the change', () => {
		expect(localToInstant('2030-01-15', 9 * 60, 'Europe/Copenhagen')?.toISOString()).toBe('2030-01-15T08:00:00.000Z');
		expect(localToInstant('2030-07-15', 9 * 60, 'Europe/Copenhagen')?.toISOString()).toBe('2030-07-15T07:00:00.000Z');
		// 31 March 2030: clocks jump 02:00 → 03:00; 02:30 does not exist and becomes 03:00 CEST, the end of the gap (core's rule).
		expect(localToInstant('2030-03-31', 150, 'Europe/Copenhagen')?.toISOString()).toBe('2030-03-31T01:00:00.000Z');
		expect(localToInstant('2030-03-31', 180, 'Europe/Copenhagen')?.toISOString()).toBe('2030-03-31T01:00:00.000Z');
		// 27 October 2030: 02:30 happens twice; the earlier one (CEST) is taken.
		expect(localToInstant('2030-10-27', 150, 'Europe/Copenhagen')?.toISOString()).toBe('2030-10-27T00:30:00.000Z');
		expect(localToInstant('2030-10-27', 180, 'Europe/Copenhagen')?.toISOString()).toBe('2030-10-27T02:00:00.000Z');
		// End of day = next midnight.
		expect(localToInstant('2030-01-15', 1440, 'Europe/Copenhagen')?.toISOString()).toBe('2030-01-15T23:00:00.000Z');
	});

	it('converts in zones without DST and with half-hour offsets', () => {
		expect(localToInstant('2030-03-04', 10 * 60, 'Asia/Tbilisi')?.toISOString()).toBe('2030-03-04T06:00:00.000Z');
		expect(localToInstant('2030-03-04', 10 * 60, 'Asia/Kolkata')?.toISOString()).toBe('2030-03-04T04:30:00.000Z');
		// 10 March 2030: 02:30 does not exist in New York either; it becomes 03:00 EDT, the end of the gap.
		expect(localToInstant('2030-03-10', 2 * 60 + 30, 'America/New_York')?.toISOString()).toBe('2030-03-10T07:00:00.000Z');
		expect(localToInstant('2030-11-03', 60 + 30, 'America/New_York')?.toISOString()).toBe('2030-11-03T05:30:00.000Z');
	});

	it('refuses malformed dates and reads instants back', () => {
		expect(localToInstant('2030-02-30', 0, 'UTC')).toBeNull();
		expect(localToInstant('30-02-2030', 0, 'UTC')).toBeNull();
		expect(instantToLocal('2030-03-31T01:30:00Z', 'Europe/Copenhagen')).toEqual({ date: '2030-03-31', minutes: 210 });
		expect(instantToLocal('2030-01-15T23:30:00Z', 'Europe/Copenhagen')).toEqual({ date: '2030-01-16', minutes: 30 });
	});

	it('datetime-local values', () => {
		expect(fromDateTimeLocal('2030-07-15T09:00', 'Europe/Copenhagen')?.toISOString()).toBe('2030-07-15T07:00:00.000Z');
		expect(fromDateTimeLocal('2030-07-15T09:00:00', 'Europe/Copenhagen')?.toISOString()).toBe('2030-07-15T07:00:00.000Z');
		expect(fromDateTimeLocal('2030-07-15 09:00', 'Europe/Copenhagen')).toBeNull();
		expect(fromDateTimeLocal('2030-07-15T24:00', 'Europe/Copenhagen')).toBeNull();
		expect(toDateTimeLocal('2030-07-15T07:00:00Z', 'Europe/Copenhagen')).toBe('2030-07-15T09:00');
	});
});
