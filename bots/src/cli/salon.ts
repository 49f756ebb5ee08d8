/**
 * `npm run salon:add -- --name ... --slug ... --time-zone ... --currency ... --country ...`: adds a
 * salon to the database `npm start` uses (DATABASE_URL, else the embedded one under DATA_DIR, which
 * is started for the duration of the command and migrated first), with its owner account, and
 * prints the owner's one-time sign-in link and the salon's URLs (bots/src/cli/salon-add.ts).
 * Exits 0 when added, 1 with a clear message otherwise. Log lines go to stderr, so stdout carries
 * only what the operator asked for.
 */
import { createCore, createPrismaClient, migrate, type PrismaClient } from "@chairside/core";
import { ConfigError, describeDatabase, loadDotEnv, parseMigrateConfig } from "../config.js";
import { explainDatabaseError, type OpenDatabase, openDatabase } from "../database.js";
import { createLogger, redact } from "../log.js";
import { runSalonAdd } from "./salon-add.js";

async function run(): Promise<number> {
  try {
    loadDotEnv(process.env);
  } catch (e) {
    process.stderr.write(`Could not read .env: ${redact(String((e as Error).message))}\n`);
    return 1;
  }
  let config: ReturnType<typeof parseMigrateConfig> | undefined;
  let database: OpenDatabase | undefined;
  let prisma: PrismaClient | undefined;
  const toStderr = (line: string) => process.stderr.write(`${line}\n`);
  let log = createLogger({ level: "info", sinks: { stdout: toStderr, stderr: toStderr } });
  try {
    return await runSalonAdd(process.argv.slice(2), {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      openCore: async () => {
        config = parseMigrateConfig(process.env);
        log = createLogger({ level: config.logLevel, sinks: { stdout: toStderr, stderr: toStderr } });
        database = await openDatabase(config.database, log);
        const migrated = await migrate(database.url);
        if (migrated.applied.length > 0) log.info(`Applied ${migrated.applied.length} migration(s) to ${database.description}`);
        prisma = createPrismaClient(database.url, { poolSize: 2 });
        return createCore(prisma);
      },
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
    } else {
      const where = database?.description ?? (config ? describeDatabase(config.database) : "database");
      log.error(`Adding the salon failed: ${explainDatabaseError(e, where)}`);
      log.debug("Failure details", { error: e });
    }
    return 1;
  } finally {
    await prisma?.$disconnect().catch(() => undefined);
    await database?.stop().catch((e: unknown) => log.error("Stopping the embedded database failed", { error: e }));
  }
}

process.exitCode = await run();
