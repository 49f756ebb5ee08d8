import { sveltekit } from '@sveltejs/kit/vite';
import { defaultClientConditions, defaultExternalConditions, defaultServerConditions, defineConfig } from 'vite';

export default defineConfig(({ command }) => ({
	plugins: [sveltekit()],
	// "chairside-source" resolves @chairside/core to its TypeScript sources. Vite's default
	// conditions stay (setting conditions replaces them): without "browser" the client build picks
	// SvelteKit's server modules, and without "node" `vite dev` cannot resolve @prisma/client.
	resolve: { conditions: ['chairside-source', ...defaultClientConditions] },
	ssr: {
		resolve: {
			conditions: ['chairside-source', ...defaultServerConditions],
			externalConditions: ['chairside-source', ...defaultExternalConditions]
		}
	},
	// The built server code imports @chairside/core at run time instead of bundling a copy: it then
	// shares the Chairside server's module (one DomainError class, one Prisma client) and core's
	// native dependencies (argon2) load normally. Node resolves it to core/src (with --conditions=
	// chairside-source and tsx, as `npm run dev` and the tests run) or core/dist (`npm start`).
	// `vite dev` compiles core's sources instead.
	...(command === 'build' ? { environments: { ssr: { build: { rollupOptions: { external: [/^@chairside\/core$/] } } } } } : {})
}));
