import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
/** Resolve @chairside/core (and testing) to the TypeScript sources; $lib as in the admin (SvelteKit). */
const sources = {
  resolve: { conditions: ["chairside-source"], alias: { $lib: here("./admin/src/lib") } },
  ssr: { resolve: { conditions: ["chairside-source"] } },
};

export default defineConfig({
  ...sources,
  test: {
    // The root project's global setup runs once per run, whichever projects have tests in it.
    globalSetup: [here("./tests/global-setup.ts")],
    // Two projects (not inheriting the root: arrays such as globalSetup would be run again) so that
    // only a run that includes browser tests pays for building the admin.
    projects: [
      {
        ...sources,
        extends: false,
        test: {
          name: "unit",
          include: ["core/src/**/*.test.ts", "bots/src/**/*.test.ts", "admin/src/**/*.test.ts", "tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "tests/browser/**"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
      {
        ...sources,
        extends: false,
        test: {
          name: "browser",
          include: ["tests/browser/**/*.test.ts"],
          // Builds admin/build when it is older than its sources; checks Chromium is installed.
          globalSetup: [here("./tests/browser/global-setup.ts")],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
        },
      },
    ],
  },
});
