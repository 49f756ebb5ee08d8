import { ChannelConnectionsService, SecretBox, SECRET_KEY_VARIABLE, type Core } from '@chairside/core';
import { error } from '@sveltejs/kit';

/** Which salon's channels the environment configures, and which: those are rewritten from the environment at every start. */
export interface EnvironmentChannels {
	/** The first salon's id, or null (no salon, or not known: `vite dev`). */
	tenantId: string | null;
	/** Channel names, e.g. ["telegram", "viber"]. */
	channels: readonly string[];
}

/** One salon's channel as the server runs it. */
export interface ChannelRunState {
	channel: string;
	running: boolean;
	/** How it runs ("long polling as @salon_bot"), or why not ("NOT running: ..."); never a secret. */
	text: string;
}

/** The server's channels (bots/src/channels/platform.ts ChannelPlatform), when the admin runs inside it. */
export interface ChannelRuntime {
	/** Applies changed connections now in this server; rejects when the database is away. */
	apply(): Promise<void>;
	/** What this server runs for a salon; channels it never started are absent. */
	status(tenantId: string): ChannelRunState[];
}

/** What Settings → Channels needs from the server it runs in. */
export interface AdminChannels {
	/** The server's connection store (its SecretBox holds the installation's key). */
	connections: ChannelConnectionsService;
	environment: EnvironmentChannels;
	/** PUBLIC_URL without a trailing slash, or null: webhook URLs then use the request's origin. */
	publicUrl: string | null;
	/** The server's running channels, or null (`vite dev`, tests without a server): changes then apply within the server's 15 s loop. */
	runtime: ChannelRuntime | null;
}

const NO_ENVIRONMENT: EnvironmentChannels = { tenantId: null, channels: [] };
let ownChannels: AdminChannels | undefined;

/**
 * The messenger connections for a request. Inside the Chairside server: the server's own
 * ChannelConnectionsService, the environment's channels and PUBLIC_URL
 * (`platform.req.chairside`, bots/src/main.ts). Without the server (`vite dev`): a service on
 * `core`'s database when CHAIRSIDE_SECRET_KEY is set (which channels the environment configures
 * is then unknown), else null.
 */
export function channelsFor(platform: App.Platform | undefined, core: Core): AdminChannels | null {
	const provided = platform?.req?.chairside;
	if (provided?.connections) {
		return {
			connections: provided.connections,
			environment: provided.environmentChannels ?? NO_ENVIRONMENT,
			publicUrl: provided.publicUrl ?? null,
			runtime: provided.channelRuntime ?? null
		};
	}
	if (provided) return null;
	const key = process.env[SECRET_KEY_VARIABLE];
	if (!key) return null;
	ownChannels ??= {
		connections: new ChannelConnectionsService(core.prisma, SecretBox.fromKey(key)),
		environment: NO_ENVIRONMENT,
		publicUrl: process.env.PUBLIC_URL?.replace(/\/+$/, '') || null,
		runtime: null
	};
	return ownChannels;
}

/** The request's channel connections, or error(503) saying how to get them (see `channelsFor`). */
export function requireChannels(locals: App.Locals): AdminChannels {
	if (!locals.channels) {
		error(503, {
			message: `Channel settings need the Chairside server (npm start / npm run dev); for vite dev, set ${SECRET_KEY_VARIABLE} to the server's key.`,
			code: 'config_invalid'
		});
	}
	return locals.channels;
}
