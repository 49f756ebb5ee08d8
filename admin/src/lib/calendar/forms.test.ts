import { describe, expect, it } from 'vitest';
import { bookFormSchema, parseForm, rescheduleFormSchema } from './forms';

describe('forms', () => {
	const form = (fields: Record<string, string>) => {
		const f = new FormData();
		for (const [k, v] of Object.entries(fields)) f.set(k, v);
		return f;
	};
	const uuid = '6f1d2c1e-8a4b-4c3d-9e2f-0a1b2c3d4e5f';

	it('reads a new booking with an existing or a new client, showing every field error at once', () => {
		expect(parseForm(bookFormSchema, form({ staffId: uuid, date: '2030-03-05', time: '10:15', serviceId: uuid, client: 'existing', clientId: uuid }))).toEqual({
			ok: true,
			data: { staffId: uuid, date: '2030-03-05', time: '10:15', serviceId: uuid, client: 'existing', clientId: uuid }
		});
		expect(parseForm(bookFormSchema, form({ staffId: 'x', date: '2030-02-30', time: '25:00', client: 'new', clientName: '  ' }))).toEqual({
			ok: false,
			errors: {
				staffId: 'Choose a staff member',
				date: 'Enter a date',
				time: 'Enter a time such as 09:30',
				serviceId: 'Choose a service',
				clientName: "Enter the client's name",
				clientPhone: "Enter the client's phone number"
			}
		});
	});

	it('reads a move: the booking, the column and a wall time', () => {
		expect(parseForm(rescheduleFormSchema, form({ bookingId: uuid, staffId: uuid, start: '2030-03-05T11:30:00' }))).toMatchObject({ ok: true });
		expect(parseForm(rescheduleFormSchema, form({ bookingId: uuid, staffId: uuid, start: '2030-03-05 11:30' }))).toEqual({ ok: false, errors: { start: 'Not a date and time' } });
	});
});
