import { createCore, createPrismaClient, type Core } from '@chairside/core';

let ownCore: Core | undefined;

/**
 * The domain services for a request. Inside the Chairside server the admin uses the server's own
 * Core (`platform.req.chairside.core`: one database pool, one clock). Without it (`vite dev`, the
 * adapter handler mounted elsewhere) it builds one Core per process from `DATABASE_URL`.
 * Throws when neither is available.
 */
export function coreFor(platform: App.Platform | undefined): Core {
	const provided = platform?.req?.chairside?.core;
	if (provided) return provided;
	if (!ownCore) {
		const url = process.env.DATABASE_URL;
		if (!url) {
			throw new Error(
				'The admin has no database: start it through the Chairside server (npm start / npm run dev), or set DATABASE_URL for vite dev.'
			);
		}
		ownCore = createCore(createPrismaClient(url, { poolSize: 5 }));
	}
	return ownCore;
}
