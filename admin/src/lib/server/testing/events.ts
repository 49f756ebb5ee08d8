/**
 * Minimal SvelteKit request events for testing loads and actions without a server: real Request,
 * URL and locals, cookies kept in a Map. Only what the admin's server code uses.
 */
import { ChannelConnectionsService, generateSecretKey, SecretBox, type AccountView, type Core, type TenantView } from '@chairside/core';
import type { Cookies } from '@sveltejs/kit';
import type { AdminChannels } from '$lib/server/channels';

/** Cookies in a Map; `options` keeps the attributes each was set with. */
type CookieOptions = Parameters<Cookies['set']>[2];

export class TestCookies implements Cookies {
	readonly values = new Map<string, string>();
	readonly options = new Map<string, CookieOptions & { deleted?: boolean }>();

	constructor(initial: Record<string, string> = {}) {
		for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
	}
	get(name: string): string | undefined {
		return this.values.get(name);
	}
	getAll(): { name: string; value: string }[] {
		return [...this.values].map(([name, value]) => ({ name, value }));
	}
	set(name: string, value: string, options: CookieOptions): void {
		this.values.set(name, value);
		this.options.set(name, options);
	}
	delete(name: string, options: CookieOptions): void {
		this.values.delete(name);
		this.options.set(name, { ...options, deleted: true });
	}
	serialize(name: string, value: string): string {
		return `${name}=${value}`;
	}
}

/** The parts of a RequestEvent the admin's loads and actions read. */
export interface TestEvent {
	request: Request;
	url: URL;
	params: Record<string, string>;
	locals: App.Locals;
	cookies: TestCookies;
	getClientAddress: () => string;
	setHeaders: (headers: Record<string, string>) => void;
	headers: Record<string, string>;
}

/**
 * The channel connections as the server hands them to the admin: a real ChannelConnectionsService
 * on `core`'s database with a fresh random key (`key` to share one between services), no channel
 * from the environment, no PUBLIC_URL and no running server (`runtime`) unless given.
 */
export function testChannels(
	core: Core,
	options: { key?: string; environment?: AdminChannels['environment']; publicUrl?: string | null; runtime?: AdminChannels['runtime'] } = {}
): AdminChannels {
	return {
		connections: new ChannelConnectionsService(core.prisma, SecretBox.fromKey(options.key ?? generateSecretKey())),
		environment: options.environment ?? { tenantId: null, channels: [] },
		publicUrl: options.publicUrl ?? null,
		runtime: options.runtime ?? null
	};
}

/** A request event for `path` (POST with `form` when given) as `who` (or signed out); `channels` for Settings → Channels. */
export function testEvent(
	core: Core,
	path: string,
	options: {
		form?: Record<string, string>;
		params?: Record<string, string>;
		cookies?: Record<string, string>;
		who?: { account: AccountView; tenant: TenantView };
		ip?: string;
		channels?: AdminChannels;
	} = {}
): TestEvent {
	const url = new URL(path, 'http://admin.test');
	const request = options.form
		? new Request(url, { method: 'POST', body: new URLSearchParams(options.form), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
		: new Request(url);
	const headers: Record<string, string> = {};
	return {
		request,
		url,
		params: options.params ?? {},
		locals: { core, account: options.who?.account ?? null, tenant: options.who?.tenant ?? null, sessionToken: null, channels: options.channels ?? null },
		cookies: new TestCookies(options.cookies),
		getClientAddress: () => options.ip ?? '192.0.2.10',
		setHeaders: (h) => Object.assign(headers, h),
		headers
	};
}

/** Runs `fn` and returns what it threw (SvelteKit's redirect() and error() throw). */
export async function thrown(fn: () => unknown): Promise<unknown> {
	try {
		await fn();
	} catch (e) {
		return e;
	}
	throw new Error('expected a throw');
}

/**
 * Calls a load function, form action or endpoint with a test event (from `testEvent`) and types the result
 * without SvelteKit's `void` (an action may return nothing; these tests read what it returned).
 */
export const call = <F extends (e: never) => unknown>(fn: F, event: unknown) => fn(event as never) as Promise<Exclude<Awaited<ReturnType<F>>, void>>;
