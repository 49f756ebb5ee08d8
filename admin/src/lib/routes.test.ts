import { describe, expect, it } from 'vitest';
import { routes } from './routes';

describe('route builders', () => {
	it('build paths, encode parameters and leave out empty query values', () => {
		expect(routes.calendar()).toBe('/calendar');
		expect(routes.calendar({ date: '2030-03-04', view: 'week' })).toBe('/calendar?date=2030-03-04&view=week');
		expect(routes.signin('/calendar?date=2030-03-04')).toBe('/signin?next=%2Fcalendar%3Fdate%3D2030-03-04');
		expect(routes.signin()).toBe('/signin');
		expect(routes.client('a/b c')).toBe('/clients/a%2Fb%20c');
		expect(routes.clients({ q: '' })).toBe('/clients');
		expect(routes.book('demo')).toBe('/book/demo');
		expect(routes.formAction(routes.settingsChannels(), 'connect')).toBe('/settings/channels?/connect');
	});
});
