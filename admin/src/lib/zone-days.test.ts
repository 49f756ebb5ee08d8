import { describe, expect, it } from 'vitest';
import { addDays, isLocalDate, localDateOf as localDate, localDayRange } from './zone';

describe('local days of a salon (localDateOf, localDayRange)', () => {
	it('gives the local date of an instant', () => {
		expect(localDate(new Date('2030-03-04T23:30:00Z'), 'Europe/Copenhagen')).toBe('2030-03-05');
		expect(localDate(new Date('2030-03-04T23:30:00Z'), 'America/New_York')).toBe('2030-03-04');
		expect(localDate(new Date('2030-03-04T20:00:00Z'), 'Asia/Kolkata')).toBe('2030-03-05');
	});

	it('spans a normal day, and 23 and 25 hours on DST change days', () => {
		expect(localDayRange('2030-03-04', 'Europe/Copenhagen')).toEqual({ from: new Date('2030-03-03T23:00:00Z'), until: new Date('2030-03-04T23:00:00Z') });
		expect(localDayRange('2030-03-31', 'Europe/Copenhagen')).toEqual({ from: new Date('2030-03-30T23:00:00Z'), until: new Date('2030-03-31T22:00:00Z') });
		expect(localDayRange('2030-10-27', 'Europe/Copenhagen')).toEqual({ from: new Date('2030-10-26T22:00:00Z'), until: new Date('2030-10-27T23:00:00Z') });
		expect(localDayRange('2030-03-10', 'America/New_York')).toEqual({ from: new Date('2030-03-10T05:00:00Z'), until: new Date('2030-03-11T04:00:00Z') });
		expect(localDayRange('2030-03-04', 'Asia/Kolkata').from).toEqual(new Date('2030-03-03T18:30:00Z'));
		expect(localDayRange('2030-03-04', 'Asia/Tbilisi').from).toEqual(new Date('2030-03-03T20:00:00Z'));
	});

	it('starts a day whose midnight is skipped at the jump', () => {
		// Santiago moved its clocks from 00:00 to 01:00 on 2024-09-08.
		expect(localDayRange('2024-09-08', 'America/Santiago').from).toEqual(new Date('2024-09-08T04:00:00Z'));
	});

	it('adds days and checks dates', () => {
		expect(addDays('2030-02-28', 1)).toBe('2030-03-01');
		expect(addDays('2030-01-01', -1)).toBe('2029-12-31');
		expect(isLocalDate('2030-02-28')).toBe(true);
		expect(isLocalDate('2030-02-30')).toBe(false);
		expect(isLocalDate('30-02-2030')).toBe(false);
	});
});
