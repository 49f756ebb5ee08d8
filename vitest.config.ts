import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["chairside-source"] },
  ssr: { resolve: { conditions: ["chairside-source"] } },
  test: {
    include: ["core/src/**/*.test.ts", "bots/src/**/*.test.ts", "admin/src/**/*.test.ts", "tests/**/*.test.ts"],
    globalSetup: [fileURLToPath(new URL("./tests/global-setup.ts", import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
