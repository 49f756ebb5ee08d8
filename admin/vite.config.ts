import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [sveltekit()],
	resolve: { conditions: ['chairside-source'] },
	ssr: { resolve: { conditions: ['chairside-source'], externalConditions: ['chairside-source'] } }
});
