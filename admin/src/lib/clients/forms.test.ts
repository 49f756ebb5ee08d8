import { describe, expect, it } from 'vitest';
import { clientErrorField, invalidPhoneMessage, parseTags, readClientEditForm, readNewClientForm } from './forms';
import { describeMerge, type MergeSide } from './merge';

function form(entries: Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries(entries)) f.append(k, v);
	return f;
}

describe('client forms', () => {
	it('new client: name required, blank phone is none', () => {
		expect(readNewClientForm(form({ name: ' Ida ', phone: '' }))).toEqual({ ok: true, value: { name: 'Ida', phone: null } });
		expect(readNewClientForm(form({ name: '', phone: '20 12 34 56' }))).toEqual({ ok: false, errors: { name: 'Enter a name' } });
	});

	it('edit: tags from one line, blanks clear, the consent box', () => {
		const result = readClientEditForm(form({ name: 'Ida', phone: '', birthday: '03-14', notes: '  ', tags: 'vip,  colour  client ,,VIP', marketingConsent: 'on' }));
		expect(result).toMatchObject({
			ok: true,
			value: { name: 'Ida', phone: null, birthday: '03-14', notes: null, tags: ['vip', 'colour client', 'VIP'], marketingConsent: true }
		});
		const off = readClientEditForm(form({ name: 'Ida', phone: '', birthday: '', notes: 'x', tags: '' }));
		expect(off).toMatchObject({ ok: true, value: { birthday: null, notes: 'x', tags: [], marketingConsent: false } });
	});

	it('edit: field errors keep what was typed', () => {
		const result = readClientEditForm(form({ name: '', phone: '1', birthday: '14/03', notes: '', tags: 'x'.repeat(41) }));
		expect(result).toEqual({
			ok: false,
			errors: { name: 'Enter a name', birthday: 'Use YYYY-MM-DD or MM-DD', tags: 'A tag may have at most 40 characters' },
			values: { name: '', phone: '1', birthday: '14/03', notes: '', tags: 'x'.repeat(41), marketingConsent: false }
		});
	});

	it('helpers', () => {
		expect(parseTags(' a , b ,')).toEqual(['a', 'b']);
		expect(clientErrorField('tags.3')).toBe('tags');
		expect(clientErrorField('phone')).toBe('phone');
		expect(clientErrorField('')).toBe('form');
		expect(invalidPhoneMessage('+45 20 12 34 56')).toBe('Enter a valid phone number, e.g. +45 20 12 34 56');
		expect(invalidPhoneMessage(undefined)).toBe('Enter a valid phone number');
	});
});

describe('merge preview', () => {
	const side = (over: Partial<MergeSide['client']>, rest: Partial<Omit<MergeSide, 'client'>> = {}): MergeSide => ({
		client: { id: 'x', name: 'X', phone: null, phoneVerified: false, birthday: null, notes: null, tags: [], marketingConsent: false, ...over },
		upcoming: [],
		past: [],
		visits: 0,
		noShows: 0,
		totalSpentMinor: 0,
		messengers: [],
		...rest
	});
	const money = (minor: number) => `${(minor / 100).toFixed(2)} kr.`;

	it('lists what moves, what is filled and what stays', () => {
		const keep = side({ name: 'Ida Berg', phone: '+4520123456', notes: 'Likes tea', tags: ['vip'] }, { messengers: ['telegram'] });
		const dup = side(
			{ name: 'Ida B', phone: '+4530123456', phoneVerified: true, birthday: '2000-03-14', notes: 'Allergic to latex', tags: ['VIP', 'colour'], marketingConsent: true },
			{ upcoming: [{}], past: [{}, {}], visits: 1, noShows: 1, totalSpentMinor: 45000, messengers: ['telegram', 'whatsapp'] }
		);
		expect(describeMerge(keep, dup, money)).toEqual([
			{ kind: 'moves', text: '3 bookings move to Ida Berg (1 upcoming, 1 visit, 1 no-show).' },
			{ kind: 'moves', text: 'Sales worth 450.00 kr. move to Ida Berg.' },
			{ kind: 'moves', text: 'Messenger identities move (telegram, whatsapp): Ida Berg can then be reached on whatsapp.' },
			{ kind: 'keeps', text: 'Ida Berg keeps the phone +4520123456; +4530123456 stays on the merged record and still leads to Ida Berg.' },
			{ kind: 'fills', text: 'Birthday 2000-03-14 is added.' },
			{ kind: 'fills', text: 'The notes of both are joined.' },
			{ kind: 'fills', text: 'Tags added: colour.' },
			{ kind: 'fills', text: 'Ida Berg gets marketing consent (Ida B gave it).' },
			{ kind: 'keeps', text: 'Ida B is hidden afterwards; links to it lead to Ida Berg.' }
		]);
	});

	it('a duplicate without history: the phone moves over', () => {
		const lines = describeMerge(side({ name: 'A' }), side({ name: 'B', phone: '+4520123456' }), money).map((l) => l.text);
		expect(lines).toEqual(['B has no bookings to move.', 'A gets the phone +4520123456.', 'B is hidden afterwards; links to it lead to A.']);
	});
});

describe('labels', async () => {
	const { birthdayLabel, messengerLabel } = await import('./labels');
	it('birthday without a known year, messengers', () => {
		expect(birthdayLabel('2000-03-14', 'en-GB')).toBe('14 March');
		expect(birthdayLabel('1990-03-14', 'en-GB')).toBe('14 March 1990');
		expect(messengerLabel('whatsapp')).toBe('WhatsApp');
		expect(messengerLabel('signal')).toBe('signal');
	});
});
