import { can, type StaffRole } from '@chairside/core';
import { describe, expect, it } from 'vitest';
import { gate, isPublicPath, permissionForPath, type GateRequest } from './access';

const as = (role: StaffRole): GateRequest['can'] => (p) => can({ role }, p);
const request = (over: Partial<GateRequest>): GateRequest => ({
	pathname: '/calendar',
	method: 'GET',
	isDataRequest: false,
	accept: 'text/html,application/xhtml+xml',
	routeExists: true,
	can: null,
	...over
});

describe('the request gate', () => {
	it('knows the public paths, whole segments only', () => {
		for (const p of ['/', '/signin', '/signout', '/auth/link/abc', '/book/demo', '/book', '/_app/immutable/x.js']) expect(isPublicPath(p)).toBe(true);
		for (const p of ['/calendar', '/settings', '/bookings', '/signin-x', '/auth', '/clients/1']) expect(isPublicPath(p)).toBe(false);
	});

	it('maps paths to section permissions, longest prefix first', () => {
		expect(permissionForPath('/settings')).toBe('settings');
		expect(permissionForPath('/settings/staff/1')).toBe('settings');
		// Messenger credentials: owners only.
		expect(permissionForPath('/settings/channels')).toBe('settings');
		expect(permissionForPath('/clients/abc')).toBe('clients');
		expect(permissionForPath('/clientsx')).toBeNull();
		expect(permissionForPath('/notifications')).toBe('notifications');
		expect(permissionForPath('/calendar')).toBe('calendar:own');
		expect(permissionForPath('/elsewhere')).toBeNull();
	});

	it('without a session: pages and load data go to sign-in; actions, endpoints and scripts get 401', () => {
		expect(gate(request({}))).toEqual({ kind: 'signin' });
		expect(gate(request({ isDataRequest: true, accept: '*/*' }))).toEqual({ kind: 'signin' });
		expect(gate(request({ method: 'POST' }))).toEqual({ kind: 'deny', status: 401 });
		expect(gate(request({ method: 'DELETE', accept: 'application/json' }))).toEqual({ kind: 'deny', status: 401 });
		expect(gate(request({ accept: 'application/json' }))).toEqual({ kind: 'deny', status: 401 });
		expect(gate(request({ pathname: '/signin', method: 'POST' }))).toEqual({ kind: 'pass' });
	});

	it('with a session: the role decides per section', () => {
		expect(gate(request({ can: as('staff') }))).toEqual({ kind: 'pass' });
		expect(gate(request({ pathname: '/pos', method: 'POST', can: as('staff') }))).toEqual({ kind: 'pass' });
		// An HTML page of an existing route passes: the (app) layout answers 403 with the error page.
		expect(gate(request({ pathname: '/settings', can: as('staff') }))).toEqual({ kind: 'pass' });
		expect(gate(request({ pathname: '/settings', can: as('staff'), routeExists: false }))).toEqual({ kind: 'deny', status: 403 });
		expect(gate(request({ pathname: '/settings', isDataRequest: true, can: as('manager') }))).toEqual({ kind: 'deny', status: 403 });
		expect(gate(request({ pathname: '/settings', method: 'POST', can: as('manager') }))).toEqual({ kind: 'deny', status: 403 });
		expect(gate(request({ pathname: '/settings', method: 'POST', can: as('owner') }))).toEqual({ kind: 'pass' });
		expect(gate(request({ pathname: '/clients', method: 'POST', can: as('staff') }))).toEqual({ kind: 'deny', status: 403 });
	});
});
