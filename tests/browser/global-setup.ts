/**
 * Global setup of the browser tests: makes sure admin/build is current, building it
 * (`tsc -b core`, then `npm run build -w admin`: ~10 s) when anything the build reads is newer than
 * admin/build/handler.js, or always when BROWSER_TESTS_REBUILD=1. Also checks that Chromium is
 * installed, so a missing browser fails once with a clear message.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ADMIN = path.join(ROOT, "admin");
const HANDLER = path.join(ADMIN, "build", "handler.js");
const INPUTS = ["src", "static", "svelte.config.js", "vite.config.ts", "package.json"].map((p) => path.join(ADMIN, p));

function newestMtime(file: string): number {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

export default function setup(): void {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    throw new Error(`Chromium is not installed at ${chromium}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  }
  const built = existsSync(HANDLER) ? statSync(HANDLER).mtimeMs : 0;
  const stale = Math.max(...INPUTS.map(newestMtime)) > built;
  if (!stale && process.env.BROWSER_TESTS_REBUILD !== "1") return;
  const started = Date.now();
  process.stdout.write("Building the admin for the browser tests (npm run build -w admin)...\n");
  // SvelteKit's post-build analysis imports the server code, which imports @chairside/core from
  // core/dist (its worker thread cannot load TypeScript): bring core/dist up to date first.
  // Type errors elsewhere in core (tsc still emits) should fail the unit tests, not this build.
  try {
    execFileSync("npx", ["tsc", "-b", "core"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  } catch {
    process.stdout.write("tsc -b core reported errors; building the admin with what it emitted\n");
  }
  execFileSync("npm", ["run", "build", "-w", "admin"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  process.stdout.write(`Built the admin in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
