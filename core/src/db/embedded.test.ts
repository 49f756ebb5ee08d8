import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded.js";

const EMBEDDED_TS = pathToFileURL(fileURLToPath(new URL("./embedded.ts", import.meta.url))).href;
const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Starts the embedded server in a separate Node process that we can kill -9; resolves with its pid once it runs. */
function startInChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const code = `const { startEmbeddedPostgres } = await import(${JSON.stringify(EMBEDDED_TS)});
const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });
console.log("READY " + db.url);
setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /READY (\S+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`child exited with ${code} before it was ready:\n${output}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

describe("startEmbeddedPostgres", () => {
  let root: string;
  let dataDir: string;
  const started: EmbeddedPostgres[] = [];

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "chairside-embedded-"));
    await fs.chmod(root, 0o755); // as root the server runs as OS user "postgres", who must enter it
    dataDir = path.join(root, "data");
  });

  afterAll(async () => {
    for (const db of started) await db.stop().catch(() => undefined);
    await fs.rm(root, { recursive: true, force: true });
  });

  it("creates the cluster and the database on first start, keeps data across a stop and start", async () => {
    const first = await startEmbeddedPostgres({ dataDir, database: "chairside" });
    started.push(first);
    expect(first.initialised).toBe(true);
    expect(first.recovered).toBe(false);
    expect(first.version).toBe("17");
    expect(new URL(first.url).pathname).toBe("/chairside");
    await query(first.url, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
    // btree_gist is what the booking no-overlap constraint needs.
    await query(first.url, "CREATE EXTENSION IF NOT EXISTS btree_gist");
    await first.stop();
    await expect(query(first.url, "SELECT 1")).rejects.toThrow();

    const second = await startEmbeddedPostgres({ dataDir, database: "chairside" });
    started.push(second);
    expect(second.initialised).toBe(false);
    expect(second.recovered).toBe(false);
    expect((await query(second.url, "SELECT id FROM kept")).rows).toEqual([{ id: 42 }]);
    await second.stop();
    await second.stop(); // idempotent
  });

  it("refuses a data directory whose server a live process owns, and recovers after that process is killed -9", async () => {
    const { child, url } = await startInChild(dataDir);
    try {
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/in use by another Chairside process \(pid \d+\)/);
      // The crash: the Node parent dies without stopping its server, which keeps running.
      child.kill("SIGKILL");
      await exited(child);
      expect((await query(url, "SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);

      const after = await startEmbeddedPostgres({ dataDir });
      started.push(after);
      expect(after.recovered).toBe(true);
      expect((await query(after.url, "SELECT id FROM kept")).rows).toEqual([{ id: 42 }]);
      await expect(query(url, "SELECT 1")).rejects.toThrow(); // the leftover server on the old port is gone
      await after.stop();
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("recovers from a stale postmaster.pid whose process is gone", async () => {
    const pidFile = path.join(dataDir, "postgres", "data", "postmaster.pid");
    const dead = spawn(process.execPath, ["-e", ""]);
    await exited(dead);
    await fs.writeFile(pidFile, `${dead.pid}\n${path.dirname(pidFile)}\n`);

    const db = await startEmbeddedPostgres({ dataDir });
    started.push(db);
    expect(db.recovered).toBe(true);
    expect((await query(db.url, "SELECT count(*)::int AS n FROM kept")).rows).toEqual([{ n: 1 }]);
    await db.stop();
  });
});
