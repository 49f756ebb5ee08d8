/**
 * Settings → Channels against a real PostgreSQL and a real ChannelConnectionsService (test key):
 * the page never carries a secret; connect validates with the plugins' schemas and stores
 * encrypted; a blank secret keeps the stored one; disable and enable; the environment's channels
 * are said to be the environment's; no session 401, staff and managers 403 with nothing changed,
 * and one salon's owner never touches another's connections.
 */
import { randomBytes } from 'node:crypto';
import { createCore, FixedClock, type AccountView, type Core, type TenantView } from '@chairside/core';
import { createTestDatabase, createTestSalon, type TestDatabase } from '@chairside/core/testing';
import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdminChannels } from '$lib/server/channels';
import { call, testChannels, testEvent, thrown } from '$lib/server/testing/events';
import { actions, load } from './+page.server';

/** A bot token of Telegram's shape, made up at run time (no secret scanner sees one in the file). */
const botToken = () => `${100000 + Math.floor(Math.random() * 900000)}:${randomBytes(27).toString('base64url')}`;
/** A made-up secret of `n` bytes. */
const secret = (n = 24) => randomBytes(n).toString('hex');

type Who = { account: AccountView; tenant: TenantView };

describe('channel settings (real PostgreSQL)', () => {
	let db: TestDatabase;
	let core: Core;
	let channels: AdminChannels;
	let tenant: TenantView;
	let otherTenant: TenantView;
	let owner: Who;
	let manager: Who;
	let staff: Who;
	let otherOwner: Who;

	beforeAll(async () => {
		db = await createTestDatabase();
		core = createCore(db.prisma, new FixedClock(new Date('2030-03-04T07:00:00Z')));
		channels = testChannels(core);
		tenant = await core.catalog.getTenant((await createTestSalon(db.prisma, { slug: 'chans' })).tenantId);
		otherTenant = await core.catalog.getTenant((await createTestSalon(db.prisma, { slug: 'chans-other' })).tenantId);
		const account = (t: TenantView, role: 'owner' | 'manager' | 'staff', email: string) => core.auth.createAccount({ tenantId: t.id, email, name: role, role });
		owner = { account: await account(tenant, 'owner', 'o@chans.test'), tenant };
		manager = { account: await account(tenant, 'manager', 'm@chans.test'), tenant };
		staff = { account: await account(tenant, 'staff', 's@chans.test'), tenant };
		otherOwner = { account: await account(otherTenant, 'owner', 'o@chans-other.test'), tenant: otherTenant };
	});
	afterAll(async () => db.drop());
	beforeEach(async () => {
		await db.prisma.channelConnection.deleteMany({});
	});

	const as = (who: Who | null, path: string, form?: Record<string, string>, over: AdminChannels = channels) =>
		testEvent(core, path, { ...(who ? { who } : {}), ...(form ? { form } : {}), channels: over });
	const connect = (who: Who | null, form: Record<string, string>) => call(actions.connect, as(who, '/settings/channels?/connect', form));
	const row = (tenantId: string, channel: string) => db.prisma.channelConnection.findUnique({ where: { tenantId_channel: { tenantId, channel } } });

	it('shows each messenger without any secret value: state, last change, webhook URL, what is set', async () => {
		const token = botToken();
		const accessToken = `EAAG${secret()}`;
		const appSecret = secret();
		const verifyToken = secret(12);
		expect(await connect(owner, { channel: 'telegram', token, apiRoot: '' })).toEqual({ channel: 'telegram', saved: true, applied: false });
		expect(await connect(owner, { channel: 'whatsapp', phoneNumberId: '106540352242922', accessToken, appSecret, verifyToken, graphUrl: '' })).toEqual({
			channel: 'whatsapp',
			saved: true,
			applied: false
		});
		await call(actions.disable, as(owner, '/settings/channels?/disable', { channel: 'whatsapp' }));

		const page = await call(load, as(owner, '/settings/channels'));
		const serialized = JSON.stringify(page);
		const { webhookSecret } = (await channels.connections.getCredentials(tenant.id, 'telegram'))!.credentials as { webhookSecret: string };
		for (const value of [token, accessToken, appSecret, verifyToken, webhookSecret]) expect(serialized).not.toContain(value);

		expect(page.channels.map((c) => [c.name, c.state])).toEqual([
			['telegram', 'enabled'],
			['whatsapp', 'disabled'],
			['viber', 'not_connected']
		]);
		const [telegram, whatsapp, viber] = page.channels;
		expect(telegram).toMatchObject({ webhookUrl: 'http://admin.test/webhooks/telegram/chans', fromEnvironment: false, unreadable: false, updatedAt: expect.any(String) });
		expect(telegram!.fields.find((f) => f.name === 'token')).toMatchObject({ secret: true, set: true, value: '', ending: `…${token.slice(-4)}` });
		expect(whatsapp!.fields.map((f) => [f.name, f.secret, f.set, f.value])).toEqual([
			['phoneNumberId', false, false, '106540352242922'],
			['accessToken', true, true, ''],
			['appSecret', true, true, ''],
			['verifyToken', true, true, ''],
			['graphUrl', false, false, '']
		]);
		expect(whatsapp!.fields.find((f) => f.name === 'appSecret')!.ending).toBeNull();
		expect(viber).toMatchObject({ updatedAt: null, fields: [{ name: 'authToken', set: false, ending: null }, { name: 'apiUrl', value: '' }] });
		expect(page.webchat.chatUrl).toBe('http://admin.test/book/chans/chat');
		expect(page.publicUrl).toBeNull();
		// No server runs the channels here (the browser test covers the live status): nothing to show.
		expect([page.live, page.channels.map((c) => c.run)]).toEqual([false, [null, null, null]]);

		// PUBLIC_URL wins over the request's origin; the environment's channels of this salon are marked.
		const configured = { ...channels, publicUrl: 'https://salon.example', environment: { tenantId: tenant.id, channels: ['telegram'] } };
		const public_ = await call(load, as(owner, '/settings/channels', undefined, configured));
		expect(public_.channels.map((c) => [c.webhookUrl, c.fromEnvironment])).toEqual([
			['https://salon.example/webhooks/telegram/chans', true],
			['https://salon.example/webhooks/whatsapp/chans', false],
			['https://salon.example/webhooks/viber/chans', false]
		]);
		expect(public_.webchat.chatUrl).toBe('https://salon.example/book/chans/chat');
		// Another salon is not the environment's.
		const elsewhere = await call(load, as(otherOwner, '/settings/channels', undefined, configured));
		expect(elsewhere.channels.every((c) => !c.fromEnvironment && c.state === 'not_connected')).toBe(true);
	});

	it('connects Telegram: stored encrypted, returned by getCredentials, with a generated webhook secret', async () => {
		const token = botToken();
		expect(await connect(owner, { channel: 'telegram', token: `  ${token} `, apiRoot: 'https://tg.example.test/' })).toEqual({ channel: 'telegram', saved: true, applied: false });
		const stored = (await row(tenant.id, 'telegram'))!;
		expect(stored.enabled).toBe(true);
		expect(stored.secrets).not.toContain(token);
		expect(Buffer.from(stored.secrets, 'base64').toString('latin1')).not.toContain(token.split(':')[1]);
		expect(stored.config).toEqual({ apiRoot: 'https://tg.example.test' });
		const credentials = (await channels.connections.getCredentials(tenant.id, 'telegram'))!.credentials;
		expect(credentials).toEqual({ token, apiRoot: 'https://tg.example.test', webhookSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
	});

	it('a bad or missing token: field errors, nothing stored, no secret in the answer', async () => {
		const bad = 'not-a-token-at-all';
		expect(await connect(owner, { channel: 'telegram', token: bad, apiRoot: 'ftp://x' })).toEqual({
			status: 400,
			data: {
				channel: 'telegram',
				values: { apiRoot: 'ftp://x' },
				errors: {
					token: expect.stringContaining('does not look like one'),
					apiRoot: 'The Telegram API root must be an http(s) URL, e.g. https://api.telegram.org.'
				}
			}
		});
		expect(await connect(owner, { channel: 'telegram', token: '', apiRoot: '' })).toMatchObject({ status: 400, data: { errors: { token: 'Enter the bot token' } } });
		expect(await connect(owner, { channel: 'viber', authToken: 'short', apiUrl: '' })).toMatchObject({ status: 400, data: { errors: { authToken: expect.stringContaining('too short') } } });
		expect(await connect(owner, { channel: 'signal', token: botToken() })).toMatchObject({ status: 400, data: { errors: { form: 'Pick a channel' } } });
		expect(await db.prisma.channelConnection.count()).toBe(0);
	});

	it('replacing with a blank secret keeps the stored one; a new one replaces it', async () => {
		const token = botToken();
		await connect(owner, { channel: 'telegram', token, apiRoot: '' });
		const { webhookSecret } = (await channels.connections.getCredentials(tenant.id, 'telegram'))!.credentials;
		expect(await connect(owner, { channel: 'telegram', token: '', apiRoot: 'https://tg.example.test' })).toEqual({ channel: 'telegram', saved: true, applied: false });
		expect((await channels.connections.getCredentials(tenant.id, 'telegram'))!.credentials).toEqual({ token, apiRoot: 'https://tg.example.test', webhookSecret });

		const next = botToken();
		await connect(owner, { channel: 'telegram', token: next, apiRoot: '' });
		expect((await channels.connections.getCredentials(tenant.id, 'telegram'))!.credentials).toEqual({ token: next, webhookSecret });
	});

	it('WhatsApp: every field, field errors for bad ones, blank secrets kept on replace', async () => {
		const missing = await connect(owner, { channel: 'whatsapp', phoneNumberId: '+45 12 34 56 78', accessToken: '', appSecret: 'has space', verifyToken: '', graphUrl: 'graph' });
		expect(missing).toMatchObject({
			status: 400,
			data: {
				channel: 'whatsapp',
				values: { phoneNumberId: '+45 12 34 56 78', graphUrl: 'graph' },
				errors: {
					phoneNumberId: expect.stringContaining('digits only'),
					accessToken: 'Enter the access token',
					appSecret: expect.stringContaining('whitespace'),
					verifyToken: 'Enter the verify token',
					graphUrl: expect.stringContaining('http(s) URL')
				}
			}
		});
		expect(JSON.stringify(missing)).not.toContain('has space');
		expect(await row(tenant.id, 'whatsapp')).toBeNull();

		const values = { phoneNumberId: '106540352242922', accessToken: `EAAG${secret()}`, appSecret: secret(), verifyToken: secret(12) };
		expect(await connect(owner, { channel: 'whatsapp', ...values, graphUrl: 'https://graph.example.test/v99.0/' })).toEqual({ channel: 'whatsapp', saved: true, applied: false });
		const stored = (await row(tenant.id, 'whatsapp'))!;
		expect(stored.config).toEqual({ phoneNumberId: '106540352242922', graphUrl: 'https://graph.example.test/v99.0' });
		for (const value of [values.accessToken, values.appSecret, values.verifyToken]) expect(stored.secrets).not.toContain(value);
		expect((await channels.connections.getCredentials(tenant.id, 'whatsapp'))!.credentials).toEqual({ ...values, graphUrl: 'https://graph.example.test/v99.0' });

		const accessToken = `EAAG${secret()}`;
		await connect(owner, { channel: 'whatsapp', phoneNumberId: '106540352242923', accessToken, appSecret: '', verifyToken: '', graphUrl: '' });
		expect((await channels.connections.getCredentials(tenant.id, 'whatsapp'))!.credentials).toEqual({ ...values, phoneNumberId: '106540352242923', accessToken });
	});

	it('disables and enables, keeping the credentials; not connected: 404', async () => {
		const authToken = secret(16);
		await connect(owner, { channel: 'viber', authToken, apiUrl: '' });
		expect(await call(actions.disable, as(owner, '/settings/channels?/disable', { channel: 'viber' }))).toEqual({ channel: 'viber', disabled: true, applied: false });
		expect((await row(tenant.id, 'viber'))!.enabled).toBe(false);
		expect((await call(load, as(owner, '/settings/channels'))).channels.find((c) => c.name === 'viber')!.state).toBe('disabled');
		expect(await call(actions.enable, as(owner, '/settings/channels?/enable', { channel: 'viber' }))).toEqual({ channel: 'viber', enabled: true, applied: false });
		expect(await channels.connections.getCredentials(tenant.id, 'viber')).toMatchObject({ enabled: true, credentials: { authToken } });

		// Saving a disabled channel's form connects it again.
		await call(actions.disable, as(owner, '/settings/channels?/disable', { channel: 'viber' }));
		await connect(owner, { channel: 'viber', authToken: '', apiUrl: '' });
		expect(await channels.connections.getCredentials(tenant.id, 'viber')).toMatchObject({ enabled: true, credentials: { authToken } });

		expect(await call(actions.enable, as(owner, '/settings/channels?/enable', { channel: 'telegram' }))).toMatchObject({ status: 404 });
		expect(await call(actions.disable, as(owner, '/settings/channels?/disable', { channel: 'telegram' }))).toMatchObject({ status: 404 });
		expect(await row(tenant.id, 'telegram')).toBeNull();
	});

	it('credentials the key cannot open: said so, and every value must be entered again', async () => {
		const token = botToken();
		const other = testChannels(core); // another installation key
		await other.connections.upsert({ tenantId: tenant.id, channel: 'telegram', config: {}, secrets: { token } });
		const telegram = (await call(load, as(owner, '/settings/channels'))).channels[0]!;
		expect(telegram).toMatchObject({ state: 'enabled', unreadable: true });
		expect(telegram.fields[0]).toMatchObject({ set: false, ending: null });
		expect(await connect(owner, { channel: 'telegram', token: '', apiRoot: '' })).toMatchObject({ status: 400, data: { errors: { token: 'Enter the bot token' } } });
		await connect(owner, { channel: 'telegram', token, apiRoot: '' });
		expect((await channels.connections.getCredentials(tenant.id, 'telegram'))!.credentials.token).toBe(token);
	});

	it('no session: 401; staff and managers: 403; nothing changes', async () => {
		const token = botToken();
		await connect(owner, { channel: 'viber', authToken: secret(16), apiUrl: '' });
		const before = await db.prisma.channelConnection.findMany({ orderBy: { channel: 'asc' } });
		for (const [who, status] of [
			[null, 401],
			[staff, 403],
			[manager, 403]
		] as const) {
			for (const run of [
				() => call(load, as(who, '/settings/channels')),
				() => connect(who, { channel: 'telegram', token, apiRoot: '' }),
				() => call(actions.disable, as(who, '/settings/channels?/disable', { channel: 'viber' })),
				() => call(actions.enable, as(who, '/settings/channels?/enable', { channel: 'viber' }))
			]) {
				const e = await thrown(run);
				expect(isHttpError(e) && e.status).toBe(status);
			}
		}
		expect(await db.prisma.channelConnection.findMany({ orderBy: { channel: 'asc' } })).toEqual(before);
	});

	it("another salon's owner works on their own salon's connections only", async () => {
		const authToken = secret(16);
		await connect(owner, { channel: 'viber', authToken, apiUrl: '' });
		expect(await call(actions.disable, as(otherOwner, '/settings/channels?/disable', { channel: 'viber' }))).toMatchObject({ status: 404 });
		expect(await call(actions.enable, as(otherOwner, '/settings/channels?/enable', { channel: 'viber' }))).toMatchObject({ status: 404 });
		// A tenant id in the form is ignored: the session's salon is the one written.
		const theirs = secret(16);
		await connect(otherOwner, { channel: 'viber', authToken: theirs, apiUrl: '', tenantId: tenant.id });
		expect((await channels.connections.getCredentials(tenant.id, 'viber'))!.credentials.authToken).toBe(authToken);
		expect((await channels.connections.getCredentials(otherTenant.id, 'viber'))!.credentials.authToken).toBe(theirs);
		expect((await row(tenant.id, 'viber'))!.enabled).toBe(true);
		const page = await call(load, as(otherOwner, '/settings/channels'));
		expect(JSON.stringify(page)).not.toContain(authToken);
	});

	it('without the server\'s channel connections: 503 saying what to do', async () => {
		const e = await thrown(() => call(load, testEvent(core, '/settings/channels', { who: owner })));
		expect(isHttpError(e) && [e.status, e.body.message]).toEqual([503, expect.stringContaining('CHAIRSIDE_SECRET_KEY')]);
	});
});
