import { describe, expect, it } from 'vitest';
import { formatDateTime, formatMoney, formatTime } from './format';

describe('formatting for people', () => {
	it('shows instants on the salon clock, across a DST change', () => {
		expect(formatTime('2030-03-04T08:00:00Z', 'Europe/Copenhagen', 'en-GB')).toBe('09:00');
		expect(formatTime('2030-04-01T08:00:00Z', 'Europe/Copenhagen', 'en-GB')).toBe('10:00');
		expect(formatDateTime(new Date('2030-03-04T08:00:00Z'), 'Asia/Kolkata', 'en-GB')).toBe('Mon, 4 Mar 2030, 13:30');
	});

	it('formats money from minor units with core', () => {
		expect(formatMoney(45000, 'DKK', 'da-DK')).toBe('450,00\u00a0kr.');
		expect(formatMoney(1999, 'EUR', 'en-IE')).toBe('€19.99');
	});
});
