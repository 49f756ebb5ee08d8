import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** The repository's `prisma/migrations` folder. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/migrations", import.meta.url));

/** What `migrate` did. */
export interface MigrateResult {
  /** Names of the migrations applied by this call, in order. */
  applied: string[];
  /** How many were already applied before. */
  alreadyApplied: number;
}

const LOCK_KEY = 72_616_963; // any constant; one migrator at a time per database

/**
 * Applies every not yet applied `prisma/migrations/<name>/migration.sql`, in name order, each in
 * its own transaction, recording them in Prisma's `_prisma_migrations` table with the same
 * checksum Prisma uses (sha256 of the file), so `prisma migrate status` agrees.
 *
 * Why not `prisma migrate deploy`: Prisma 6's JS schema engine (the only one that works offline)
 * splits a migration on every semicolon and breaks PL/pgSQL bodies; the simple query protocol
 * runs a file as PostgreSQL parses it. Concurrent callers serialise on an advisory lock.
 *
 * Throws when a migration fails (nothing of that migration stays) or when an applied migration's
 * file was edited afterwards (checksum mismatch).
 */
export async function migrate(databaseUrl: string, migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const done = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(done.rows.map((r) => [r.migration_name, r.checksum]));
    const names = (await fs.readdir(migrationsDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const result: MigrateResult = { applied: [], alreadyApplied: 0 };
    for (const name of names) {
      const sql = await fs.readFile(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const previous = applied.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new Error(`Migration ${name} was edited after it was applied (checksum differs): add a new migration instead.`);
        }
        result.alreadyApplied++;
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${name} failed: ${(e as Error).message}`, { cause: e });
      }
      result.applied.push(name);
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
