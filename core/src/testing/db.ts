import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { createPrismaClient, disconnectWithin, type PrismaClient } from "../db/client.js";
import { DEFAULT_MIGRATIONS_DIR, migrate } from "../db/migrate.js";

/**
 * Test databases on a real PostgreSQL. `TEST_DATABASE_URL` names the server (default: the
 * machine's, postgresql://postgres@127.0.0.1:5432/postgres). A migrated template database, named
 * after a hash of the migrations, is made once and reused; each test file gets its own copy
 * (CREATE DATABASE ... TEMPLATE), which is fast. Concurrent test runs (several developers, CI)
 * share the template safely and never drop each other's databases.
 */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** Per-file databases older than this are leftovers of killed runs and are dropped. */
const STALE_AFTER_SECONDS = 3 * 60 * 60;
const LOCK_KEY = 72_616_965;

let cachedTemplate: string | undefined;

/** The template's name: chairside_tpl_<first 12 hex of sha256 over every migration file>. */
export function templateDatabaseName(): string {
  if (cachedTemplate) return cachedTemplate;
  const hash = createHash("sha256");
  for (const dir of fs.readdirSync(DEFAULT_MIGRATIONS_DIR).sort()) {
    const file = path.join(DEFAULT_MIGRATIONS_DIR, dir, "migration.sql");
    if (fs.existsSync(file)) hash.update(dir).update(fs.readFileSync(file));
  }
  cachedTemplate = `chairside_tpl_${hash.digest("hex").slice(0, 12)}`;
  return cachedTemplate;
}

function urlFor(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Makes sure the migrated template exists (built under a temporary name, then renamed, so a
 * half-built template is never used) and drops per-file databases left by killed runs.
 * Called once per test run from the global setup.
 */
export async function prepareTemplateDatabase(): Promise<void> {
  const template = templateDatabaseName();
  await admin(async (c) => {
    await c.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    try {
      const exists = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [template]);
      if (exists.rowCount === 0) {
        const building = `${template}_building`;
        await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        await c.query(`CREATE DATABASE ${building}`);
        await migrate(urlFor(building));
        await c.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
      }
      const now = Math.floor(Date.now() / 1000);
      const old = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'chairside\\_t\\_%'`);
      for (const { datname } of old.rows) {
        const created = Number(datname.split("_")[2]);
        if (Number.isFinite(created) && now - created > STALE_AFTER_SECONDS) {
          await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
        }
      }
    } finally {
      await c.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
    }
  });
}

/** A fresh, migrated database of its own. `drop()` removes it. */
export interface TestDatabase {
  name: string;
  url: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

/** Creates a fresh migrated database from the template (see `prepareTemplateDatabase`). */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const name = `chairside_t_${Math.floor(Date.now() / 1000)}_${randomBytes(5).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabaseName()}`));
  const url = urlFor(name);
  const prisma = createPrismaClient(url, options);
  return {
    name,
    url,
    prisma,
    async drop() {
      // Bounded: Prisma's $disconnect can hang (see disconnectWithin); FORCE ends the sessions anyway.
      await disconnectWithin(prisma, 5_000);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
