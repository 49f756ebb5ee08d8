/**
 * `npm run worker`: the job worker alone, no HTTP: outbox delivery, the reminder planner and
 * no-show detection, for scaling out next to `npm start` (set JOBS_IN_SERVER=false there to move
 * all jobs to workers). Same configuration as the server (.env); it needs the server's database
 * (DATABASE_URL) and the same CHAIRSIDE_SECRET_KEY (or DATA_DIR with its key file) to read the
 * salons' channel credentials. SIGINT/SIGTERM stop it after the batch in progress.
 */
import { pathToFileURL } from "node:url";
import {
  ChannelConnectionsService,
  type Core,
  createChatStores,
  createCore,
  createPrismaClient,
  migrate,
  resolveSecretKey,
  type SenderDirectory,
} from "@chairside/core";
import { ChannelHub } from "../channels/dispatch.js";
import { PLUGINS } from "../channels/registry.js";
import { ConfigError, describeDatabase, type Env, loadDotEnv, parseConfig } from "../config.js";
import { explainDatabaseError } from "../database.js";
import { createLogger, type Logger, redact } from "../log.js";
import { type JobRuntimeOptions, startJobs } from "./runtime.js";
import { ChannelSenders } from "./senders.js";

/** What tests may replace: the senders (a fake provider) and the job tuning. */
export interface WorkerOverrides {
  senders?(deps: { core: Core; log: Logger }): SenderDirectory;
  jobs?: Partial<Pick<JobRuntimeOptions, "delivery" | "everyMs" | "processEveryMs" | "name">>;
}

/** The channel platform's senders: each salon's stored, encrypted credentials. */
function platformSenders(core: Core, config: ReturnType<typeof parseConfig>, log: Logger): SenderDirectory {
  const key = resolveSecretKey(config.secretKey ?? undefined, config.dataDir);
  if (key.origin === "generated") log.warn(`Generated ${key.file}: the worker cannot read channel credentials stored with another key; set CHAIRSIDE_SECRET_KEY as for the server`);
  const hub = new ChannelHub({
    core,
    connections: new ChannelConnectionsService(core.prisma, key.box),
    inbox: createChatStores(core.prisma).inbox,
    plugins: PLUGINS,
    log: log.child("channels"),
  });
  return new ChannelSenders({ resolve: (t, c) => hub.resolve(t, c), channelNames: hub.channelNames, now: () => core.clock.now(), log });
}

/** Runs the worker until a signal; resolves with the exit code. */
export async function runWorker(env: Env, cwd: string, overrides: WorkerOverrides = {}): Promise<number> {
  let config: ReturnType<typeof parseConfig>;
  try {
    loadDotEnv(env, cwd);
    config = parseConfig(env, cwd);
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : `Could not read the configuration: ${redact((e as Error).message)}`}\n`);
    return 1;
  }
  const log = createLogger({ level: config.logLevel, scope: "worker" });
  if (config.database.kind !== "external") {
    log.error("npm run worker needs DATABASE_URL: workers share the server's PostgreSQL (the embedded database serves one process)");
    return 1;
  }
  const url = config.database.url;
  const prisma = createPrismaClient(url);
  let jobs: Awaited<ReturnType<typeof startJobs>>;
  try {
    await migrate(url);
    const core = createCore(prisma);
    const senders = overrides.senders?.({ core, log }) ?? platformSenders(core, config, log);
    jobs = await startJobs({ core, databaseUrl: url, senders, log, ...overrides.jobs });
  } catch (e) {
    log.error(`The worker could not start: ${explainDatabaseError(e, describeDatabase(config.database))}`);
    await prisma.$disconnect();
    return 1;
  }
  process.stdout.write(`Chairside worker running: outbox delivery, reminder planning, no-show detection (${describeDatabase(config.database)}).\n`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(1);
      stopping = true;
      log.info(`${signal} received: stopping the worker`);
      jobs
        .stop()
        .then(() => prisma.$disconnect())
        .then(
          () => resolve(0),
          (e: unknown) => {
            log.error("Stopping the worker failed", { error: e });
            resolve(1);
          },
        );
    };
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(signal));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWorker(process.env, process.cwd()).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${redact(String((e as Error)?.stack ?? e))}\n`);
      process.exit(1);
    },
  );
}
