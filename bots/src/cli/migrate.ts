/**
 * `npm run db:migrate` (and the `migrate` service of docker-compose.yml): applies the pending
 * migrations to the same database `npm start` would use (DATABASE_URL, else the embedded one
 * under DATA_DIR, which is started for the duration of the command) and exits: 0 on success,
 * 1 with a clear message otherwise.
 */
import { migrate } from "@chairside/core";
import { ConfigError, describeDatabase, loadDotEnv, parseMigrateConfig } from "../config.js";
import { explainDatabaseError, openDatabase } from "../database.js";
import { createLogger, redact } from "../log.js";

async function run(): Promise<number> {
  let config: ReturnType<typeof parseMigrateConfig>;
  try {
    loadDotEnv(process.env);
    config = parseMigrateConfig(process.env);
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : redact(String(e))}\n`);
    return 1;
  }
  const log = createLogger({ level: config.logLevel });
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    database = await openDatabase(config.database, log);
    const result = await migrate(database.url);
    log.info(
      result.applied.length > 0
        ? `Applied ${result.applied.length} migration(s) to ${database.description}: ${result.applied.join(", ")}`
        : `The database is up to date (${result.alreadyApplied} migration(s) applied before): ${database.description}`,
    );
    return 0;
  } catch (e) {
    log.error(`Migrating the database failed: ${explainDatabaseError(e, database?.description ?? describeDatabase(config.database))}`);
    log.debug("Failure details", { error: e });
    return 1;
  } finally {
    await database?.stop().catch((e: unknown) => log.error("Stopping the embedded database failed", { error: e }));
  }
}

process.exitCode = await run();
