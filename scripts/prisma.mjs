#!/usr/bin/env node
// Runs the Prisma CLI offline. Prisma 6 reads `env("DATABASE_URL")` from the schema even for
// `generate`; when it cannot, it falls back to downloading native engines from a host this
// project never needs. Commands that do not touch a database get a placeholder URL.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const args = process.argv.slice(2);
const offline = new Set(["generate", "validate", "format"]);
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
if (!env.DATABASE_URL && offline.has(args[0])) env.DATABASE_URL = "postgresql://unused@127.0.0.1:1/unused";
const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", env });
process.exit(result.status ?? 1);
