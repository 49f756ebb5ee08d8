import { describe, expect, it } from 'vitest';
import { readInviteForm, readOverrideForm, readSalonForm, readServiceForm, readStaffForm, readTimeOffForm } from './forms.server';
import { draftsFromWeekly, readWeeklyForm } from './hours';

function form(entries: [string, string][] | Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, v] of Array.isArray(entries) ? entries : Object.entries(entries)) f.append(k, v);
	return f;
}

const UUID_A = '11111111-1111-4111-8111-111111111111';
const UUID_B = '22222222-2222-4222-8222-222222222222';

describe('weekly hours form', () => {
	it('reads ranges per weekday, skips blank rows, leaves days without work out', () => {
		const result = readWeeklyForm(
			form({
				'work-1-0-start': '09:00',
				'work-1-0-end': '17:00',
				'work-1-1-start': '',
				'work-1-1-end': '',
				'break-1-0-start': '12:00',
				'break-1-0-end': '12:30',
				'work-6-0-start': '10:00',
				'work-6-0-end': '15:00',
				'work-7-0-start': '',
				'work-7-0-end': ''
			})
		);
		expect(result.errors).toEqual({});
		expect(result.schedule).toEqual([
			{ weekday: 1, work: [{ startMinute: 540, endMinute: 1020 }], breaks: [{ startMinute: 720, endMinute: 750 }] },
			{ weekday: 6, work: [{ startMinute: 600, endMinute: 900 }], breaks: [] }
		]);
		expect(result.drafts[0]).toEqual({ weekday: 1, work: [{ start: '09:00', end: '17:00' }, { start: '', end: '' }], breaks: [{ start: '12:00', end: '12:30' }] });
	});

	it('names the field of each mistake', () => {
		const result = readWeeklyForm(
			form({
				'work-2-0-start': '9',
				'work-2-0-end': '17:00',
				'work-3-0-start': '17:00',
				'work-3-0-end': '09:00',
				'work-4-0-start': '09:00',
				'work-4-0-end': '',
				'break-5-0-start': '12:00',
				'break-5-0-end': '13:00'
			})
		);
		expect(result.errors).toEqual({
			'work-2-0-start': 'Use HH:MM, e.g. 09:00',
			'work-3-0-end': 'Must end after it starts',
			'work-4-0-end': 'Enter an end time',
			'break-5-0-start': 'A break needs working hours on the same day'
		});
	});

	it('turns minutes into drafts for the seven weekdays', () => {
		const drafts = draftsFromWeekly([{ weekday: 2, work: [{ startMinute: 540, endMinute: 1440 }], breaks: [] }]);
		expect(drafts).toHaveLength(7);
		expect(drafts[1]).toEqual({ weekday: 2, work: [{ start: '09:00', end: '24:00' }], breaks: [] });
		expect(drafts[0]).toEqual({ weekday: 1, work: [], breaks: [] });
	});
});

describe('salon form', () => {
	const good = {
		name: ' Salon ',
		timeZone: 'Europe/Copenhagen',
		currency: 'dkk',
		locale: 'da-DK',
		country: 'dk',
		slotStepMinutes: '15',
		minimumNoticeMinutes: '60',
		maximumDaysAhead: '60',
		holdMinutes: '10',
		cancellationCutoffMinutes: '120'
	};

	it('reads numbers and upper-cases codes', () => {
		expect(readSalonForm(form(good))).toEqual({
			ok: true,
			value: { ...good, name: 'Salon', currency: 'DKK', country: 'DK', slotStepMinutes: 15, minimumNoticeMinutes: 60, maximumDaysAhead: 60, holdMinutes: 10, cancellationCutoffMinutes: 120 }
		});
	});

	it('gives field errors', () => {
		const result = readSalonForm(form({ ...good, name: '', currency: 'euro', locale: '!!', slotStepMinutes: '1.5', holdMinutes: '' }));
		expect(result).toEqual({
			ok: false,
			errors: {
				name: 'Enter the salon name',
				currency: 'Use a three-letter currency code, e.g. EUR',
				locale: 'Enter a language tag, e.g. en or da-DK',
				slotStepMinutes: 'Enter a whole number',
				holdMinutes: 'Enter the hold time'
			}
		});
	});
});

describe('service form', () => {
	it('reads the price in the salon currency and the staff list', () => {
		const result = readServiceForm(
			form([
				['name', 'Cut'],
				['category', ''],
				['durationMinutes', '45'],
				['price', '450,50'],
				['bufferBeforeMinutes', ''],
				['bufferAfterMinutes', '10'],
				['active', 'on'],
				['staffIds', UUID_A],
				['staffIds', UUID_B]
			]),
			'DKK'
		);
		expect(result).toEqual({
			ok: true,
			value: { name: 'Cut', category: null, durationMinutes: 45, priceMinor: 45050, bufferBeforeMinutes: 0, bufferAfterMinutes: 10, active: true, staffIds: [UUID_A, UUID_B] }
		});
	});

	it('gives field errors, the price included; an unticked box is inactive', () => {
		expect(readServiceForm(form({ name: '', durationMinutes: 'x', price: 'cheap', bufferAfterMinutes: '-1' }), 'DKK')).toEqual({
			ok: false,
			errors: { name: 'Enter a name', durationMinutes: 'Enter a whole number', price: 'Enter an amount such as 450.00', bufferAfterMinutes: 'Enter a whole number' }
		});
		const inactive = readServiceForm(form({ name: 'X', durationMinutes: '30', price: '100' }), 'EUR');
		expect(inactive.ok && inactive.value.active).toBe(false);
	});
});

describe('staff, override and time-off forms', () => {
	it('staff: name, active, services', () => {
		expect(readStaffForm(form([['name', 'Anna'], ['active', 'on'], ['serviceIds', UUID_A]]))).toEqual({ ok: true, value: { name: 'Anna', active: true, serviceIds: [UUID_A] } });
		expect(readStaffForm(form([['name', ' '], ['serviceIds', 'nope']]))).toEqual({ ok: false, errors: { name: 'Enter a name', 'serviceIds.0': 'Pick services from the list' } });
	});

	it('override: closed, or hours', () => {
		expect(readOverrideForm(form({ date: '2030-03-04', mode: 'closed' }))).toEqual({ ok: true, value: { date: '2030-03-04', ranges: [] } });
		expect(readOverrideForm(form({ date: '2030-03-04', mode: 'hours', 'range-0-start': '10:00', 'range-0-end': '14:00', 'range-1-start': '', 'range-1-end': '' }))).toEqual({
			ok: true,
			value: { date: '2030-03-04', ranges: [{ startMinute: 600, endMinute: 840 }] }
		});
		expect(readOverrideForm(form({ date: '2030-02-30', mode: 'hours' }))).toEqual({ ok: false, errors: { date: 'Pick a date', 'range-0-start': 'Enter the hours, or choose closed' } });
		expect(readOverrideForm(form({ date: '2030-03-04', mode: 'x' }))).toEqual({ ok: false, errors: { mode: 'Choose closed or opening hours' } });
	});

	it('time off: salon-local date and time → UTC', () => {
		expect(readTimeOffForm(form({ from: '2030-07-15T09:00', to: '2030-07-16T17:00', reason: ' Course ' }), 'Europe/Copenhagen')).toEqual({
			ok: true,
			value: { startsAt: new Date('2030-07-15T07:00:00Z'), endsAt: new Date('2030-07-16T15:00:00Z'), reason: 'Course' }
		});
		expect(readTimeOffForm(form({ from: '2030-07-15T09:00', to: '2030-07-15T09:00', reason: '' }), 'Europe/Copenhagen')).toEqual({ ok: false, errors: { to: 'Must end after it starts' } });
		expect(readTimeOffForm(form({ from: '', to: 'x' }), 'Europe/Copenhagen')).toEqual({ ok: false, errors: { from: 'Pick a start date and time', to: 'Pick an end date and time' } });
	});
});

describe('core messages', async () => {
	const { weekdayNamesIn } = await import('./hours');
	const { weekdayName } = await import('./time');
	it('names weekdays in schedule messages', () => {
		expect(weekdayNamesIn('Overlapping ranges on weekday 3', (d) => weekdayName(d, 'en'))).toBe('Overlapping ranges on Wednesday');
		expect(weekdayNamesIn('A break on weekday 7 lies outside the working hours', (d) => weekdayName(d, 'en'))).toBe('A break on Sunday lies outside the working hours');
	});
});

describe('invite form', () => {
	it('reads name, email (lower-cased), role and an optional staff column', () => {
		expect(readInviteForm(form({ name: ' Ben ', email: ' Ben@Salon.TEST ', role: 'staff', staffId: UUID_A }))).toEqual({
			ok: true,
			value: { name: 'Ben', email: 'ben@salon.test', role: 'staff', staffId: UUID_A }
		});
		expect(readInviteForm(form({ name: 'Mo', email: 'mo@salon.test', role: 'manager', staffId: '' }))).toMatchObject({ ok: true, value: { staffId: null } });
		expect(readInviteForm(form({ name: '', email: 'nope', role: 'boss', staffId: 'x' }))).toEqual({
			ok: false,
			errors: { name: 'Enter a name', email: 'Enter a valid email address', role: 'Pick a role', staffId: 'Pick a staff member from the list' }
		});
	});
});
