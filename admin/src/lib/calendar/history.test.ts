import { describe, expect, it } from 'vitest';
import { describeActor, describeHistory } from './history';

describe('booking history', () => {
	it('tells who did what in words', () => {
		const names = {
			accounts: new Map([['acc1', 'Mona Manager']]),
			staff: new Map([
				['anna', 'Anna'],
				['ben', 'Ben']
			]),
			clientId: 'c1',
			formatInstant: (d: Date) => d.toISOString().slice(11, 16)
		};
		expect(describeActor('channel:telegram', names)).toBe('Telegram');
		expect(describeActor('staff:unknown', names)).toBe('Staff');
		const rows = [
			{ type: 'held', actor: 'client:c1', fromStarts: null, toStarts: new Date('2030-03-05T09:00:00Z'), data: null, createdAt: new Date('2030-03-01T08:00:00Z') },
			{ type: 'confirmed', actor: 'client:c1', fromStarts: null, toStarts: new Date('2030-03-05T09:00:00Z'), data: null, createdAt: new Date('2030-03-01T08:01:00Z') },
			{
				type: 'rescheduled',
				actor: 'staff:acc1',
				fromStarts: new Date('2030-03-05T09:00:00Z'),
				toStarts: new Date('2030-03-05T10:00:00Z'),
				data: { fromStaffId: 'anna', toStaffId: 'ben' },
				createdAt: new Date('2030-03-02T08:00:00Z')
			},
			{ type: 'cancelled', actor: 'system', fromStarts: null, toStarts: null, data: { reason: 'Ill' }, createdAt: new Date('2030-03-03T08:00:00Z') }
		];
		expect(describeHistory(rows, names).map((h) => [h.what, h.who, h.detail])).toEqual([
			['Time held', 'The client', ''],
			['Booked', 'The client', 'for 09:00'],
			['Moved', 'Mona Manager', 'from 09:00 to 10:00 (Anna → Ben)'],
			['Cancelled', 'Chairside', 'Ill']
		]);
	});
});
