import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPrismaClient, type PrismaClient } from "../db/client.js";
import { migrate } from "../db/migrate.js";

/**
 * Test databases on a real PostgreSQL. `TEST_DATABASE_URL` names the server (default: the
 * machine's, postgresql://postgres@127.0.0.1:5432/postgres). A migrated template database is made
 * once per run; each test file gets its own copy (CREATE DATABASE ... TEMPLATE), which is fast.
 */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

const TEMPLATE = "chairside_test_template";

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

/** (Re)creates the migrated template database. Called once per test run from the global setup. */
export async function prepareTemplateDatabase(): Promise<void> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE}`);
  });
  await migrate(urlFor(TEMPLATE));
  // Drop stale per-file databases of runs that were killed.
  await admin(async (c) => {
    const old = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'chairside\\_t\\_%'`,
    );
    for (const row of old.rows) await c.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`).catch(() => {});
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
  const name = `chairside_t_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`));
  const url = urlFor(name);
  const prisma = createPrismaClient(url, options);
  return {
    name,
    url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
