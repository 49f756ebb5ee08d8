// See https://svelte.dev/docs/kit/types#app.d.ts
import type { IncomingMessage } from 'node:http';
import type { AccountView, ChannelConnectionsService, Core, TenantView } from '@chairside/core';
import type { AdminChannels, ChannelRuntime, EnvironmentChannels } from '$lib/server/channels';

declare global {
	namespace App {
		/** Set by hooks.server.ts for every request. */
		interface Locals {
			/** The domain services (the Chairside server's own Core; see $lib/server/core). */
			core: Core;
			/** The signed-in account, or null. Use requireAccount / requirePermission from $lib/server/guards. */
			account: AccountView | null;
			/** The signed-in account's salon, or null. */
			tenant: TenantView | null;
			/** The session token of the signed-in account (for sign-out), or null. */
			sessionToken: string | null;
			/** The salons' messenger connections (Settings → Channels), or null when the server did not hand them over; see $lib/server/channels. */
			channels: AdminChannels | null;
		}
		/** The body of every error SvelteKit shows or returns. */
		interface Error {
			message: string;
			/** A core ErrorCode ("unauthorized", "forbidden", "not_found", ...) when known. */
			code?: string;
		}
		/** adapter-node passes the Node request; the Chairside server attaches `chairside` to it (bots/src/server.ts). */
		interface Platform {
			req?: IncomingMessage & {
				chairside?: { core: Core; connections?: ChannelConnectionsService; environmentChannels?: EnvironmentChannels; publicUrl?: string | null; channelRuntime?: ChannelRuntime };
			};
		}
	}
}

export {};
