import { createCore, FixedClock, type Core } from '@chairside/core';
import { createTestDatabase, createTestSalon, type TestDatabase } from '@chairside/core/testing';
import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '$lib/server/session';
import { testEvent, thrown } from '$lib/server/testing/events';
import { actions, load } from './+page.server';
import { actions as linkActions, load as linkLoad } from '../auth/link/[token]/+page.server';
import { actions as signOutActions } from '../signout/+page.server';

type AnyEvent = Parameters<typeof actions.default>[0];
const run = (event: unknown) => actions.default(event as AnyEvent);

describe('sign-in, link and sign-out actions (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let tenantId: string;
	const PASSWORD = 'a long enough password';

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(new Date('2030-03-04T07:00:00Z')));
		tenantId = (await createTestSalon(db.prisma)).tenantId;
	});
	afterAll(async () => db.drop());

	let n = 0;
	async function account(password: string | null = PASSWORD) {
		const a = await core.auth.createAccount({ tenantId, email: `a${++n}@admin.test`, name: `A ${n}`, role: 'staff' });
		const link = await core.auth.createSignInLink({ tenantId, accountId: a.id });
		if (password) await core.auth.completeSignInLink({ token: link.token, password });
		return { ...a, token: link.token };
	}

	it('signs in: sets an httpOnly SameSite=Lax session cookie and goes to a local `next` only', async () => {
		const a = await account();
		const event = testEvent(core, '/signin', { form: { email: a.email, password: PASSWORD, next: '/calendar?date=2030-03-04' } });
		const redirect = await thrown(() => run(event));
		expect(isRedirect(redirect) && [redirect.status, redirect.location]).toEqual([303, '/calendar?date=2030-03-04']);
		const token = event.cookies.get(SESSION_COOKIE)!;
		expect(event.cookies.options.get(SESSION_COOKIE)).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: false, path: '/' });
		expect((await core.auth.authenticate(token))?.account.id).toBe(a.id);

		const offsite = testEvent(core, '/signin', { form: { email: a.email, password: PASSWORD, next: '//evil.example/x' } });
		const r = await thrown(() => run(offsite));
		expect(isRedirect(r) && r.location).toBe('/calendar');
	});

	it('over https the cookie is Secure', async () => {
		const a = await account();
		const event = testEvent(core, 'https://admin.test/signin', { form: { email: a.email, password: PASSWORD, next: '' } });
		await thrown(() => run(event));
		expect(event.cookies.options.get(SESSION_COOKIE)).toMatchObject({ secure: true });
	});

	it('answers field errors, a wrong password and the rate limit without a cookie', async () => {
		const empty = testEvent(core, '/signin', { form: { email: '', password: '', next: '' } });
		expect(await run(empty)).toMatchObject({ status: 400, data: { errors: { email: 'Enter your email address', password: 'Enter your password' } } });

		const a = await account();
		for (let i = 0; i < 5; i++) {
			const wrong = testEvent(core, '/signin', { form: { email: a.email, password: 'wrong password', next: '' }, ip: '198.51.100.1' });
			expect(await run(wrong)).toMatchObject({ status: 401, data: { email: a.email, errors: { form: 'Wrong email or password' } } });
			expect(wrong.cookies.get(SESSION_COOKIE)).toBeUndefined();
		}
		const limited = testEvent(core, '/signin', { form: { email: a.email, password: PASSWORD, next: '' } });
		expect(await run(limited)).toMatchObject({
			status: 429,
			data: { retryAfterSeconds: 900, errors: { form: 'Too many failed sign-ins for this email: try again in 15 minutes' } }
		});
		expect(limited.cookies.get(SESSION_COOKIE)).toBeUndefined();
	});

	it('the sign-in page sends a signed-in account on', async () => {
		const a = await account();
		const tenant = await core.catalog.getTenant(tenantId);
		const event = testEvent(core, '/signin?next=/pos', { who: { account: a, tenant } });
		const r = await thrown(() => load(event as unknown as Parameters<typeof load>[0]));
		expect(isRedirect(r) && r.location).toBe('/pos');
	});

	it('the link page shows the form without using the link, then sets the password and signs in', async () => {
		const a = await account(null);
		const view = testEvent(core, `/auth/link/${a.token}`, { params: { token: a.token } });
		expect(await linkLoad(view as unknown as Parameters<typeof linkLoad>[0])).toEqual({ valid: true, email: a.email, name: a.name });
		expect(view.headers).toMatchObject({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });

		const runLink = (form: Record<string, string>) => {
			const event = testEvent(core, `/auth/link/${a.token}`, { params: { token: a.token }, form });
			return { event, result: linkActions.default(event as unknown as Parameters<typeof linkActions.default>[0]) };
		};
		const mismatch = runLink({ password: 'short', confirm: 'other' });
		expect(await mismatch.result).toMatchObject({
			status: 400,
			data: { errors: { password: 'Use at least 10 characters', confirm: 'The two passwords are not the same' } }
		});
		const ok = runLink({ password: PASSWORD, confirm: PASSWORD });
		const r = await thrown(() => ok.result);
		expect(isRedirect(r) && r.location).toBe('/calendar');
		expect((await core.auth.authenticate(ok.event.cookies.get(SESSION_COOKIE)))?.account.id).toBe(a.id);

		const reused = runLink({ password: PASSWORD, confirm: PASSWORD });
		expect(await reused.result).toMatchObject({ status: 410 });
		const again = testEvent(core, `/auth/link/${a.token}`, { params: { token: a.token } });
		expect(await linkLoad(again as unknown as Parameters<typeof linkLoad>[0])).toEqual({ valid: false });
	});

	it('signing out ends the session and clears the cookie', async () => {
		const a = await account();
		const grant = await core.auth.signIn({ email: a.email, password: PASSWORD, ip: '192.0.2.5' });
		const event = testEvent(core, '/signout', { form: {}, cookies: { [SESSION_COOKIE]: grant.token } });
		const r = await thrown(() => signOutActions.default(event as unknown as Parameters<typeof signOutActions.default>[0]));
		expect(isRedirect(r) && r.location).toBe('/signin');
		expect(event.cookies.get(SESSION_COOKIE)).toBeUndefined();
		expect(await core.auth.authenticate(grant.token)).toBeNull();
	});
});
