/**
 * The process entry of `npm start`: configuration → database (embedded unless DATABASE_URL) →
 * migrations → demo salon on an empty database → secret key → the environment's messenger
 * credentials into the first salon's channel connections → HTTP app with the webhook route →
 * listen → every salon's channels (Telegram polling or setWebhook, Viber set_webhook) and the
 * inbox worker → banner. SIGINT/SIGTERM/SIGHUP stop everything in reverse order (channels, HTTP,
 * Prisma, embedded database) and exit 0. A bad configuration or a failed start prints one clear
 * message (no stack trace unless LOG_LEVEL=debug) and exits 1.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  ChannelConnectionsService,
  createCore,
  createPrismaClient,
  disconnectWithin,
  migrate,
  prepareOwnerAccess,
  resolveSecretKey,
  type ResolvedSecretKey,
  seedDemoSalon,
  WebchatStore,
} from "@chairside/core";
import { type ChannelBannerLine, ChannelPlatform } from "./channels/platform.js";
import { ensureWebchatConnections, mountWebchatRoutes } from "./channels/webchat/index.js";
import { type Config, ConfigError, describeDatabase, loadDotEnv, parseConfig } from "./config.js";
import { explainDatabaseError, openDatabase } from "./database.js";
import { createLogger, redact } from "./log.js";
import { startJobs } from "./jobs/runtime.js";
import { ChannelSenders } from "./jobs/senders.js";
import { createHttpApp, loadAdminHandler, mountFallbacks } from "./server.js";

/** Something started that must be stopped on the way out. */
interface Running {
  name: string;
  stop(): Promise<void>;
}

class StopRequested extends Error {}

/** Host to show in URLs: a wildcard address is reached through localhost. */
function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

function listen(server: http.Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE") reject(new Error(`Port ${port} on ${host} is already in use: stop the program using it, or set PORT to a free port in .env.`));
      else if (e.code === "EADDRNOTAVAIL") reject(new Error(`HOST ${host} is not an address of this machine: use 0.0.0.0 (all interfaces) or 127.0.0.1.`));
      else reject(e);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), 5_000);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** How long shutdown waits for Prisma to close its connections before going on without it. */
const DISCONNECT_TIMEOUT_MS = 5_000;

/** The banner's line about the key that encrypts channel credentials (never the key itself). */
function secretKeyLine(key: ResolvedSecretKey): string {
  if (key.origin === "env") return "channel credentials encrypted with CHAIRSIDE_SECRET_KEY";
  if (key.origin === "generated") return `generated ${key.file} to encrypt channel credentials: back it up, or set CHAIRSIDE_SECRET_KEY (required in Docker)`;
  return `channel credentials encrypted with the key in ${key.file} (or set CHAIRSIDE_SECRET_KEY)`;
}

/** "  Telegram: long polling as @bot"; another salon's channels carry its slug. */
function channelLine(line: ChannelBannerLine, firstSalon: string | undefined): string {
  const label = `${line.label}${line.salon === firstSalon ? "" : ` (${line.salon})`}:`;
  return `  ${label.padEnd(9)} ${line.text}`;
}

/** Starts everything; resolves with the process exit code once stopped. */
async function main(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<number> {
  let config: Config;
  try {
    loadDotEnv(env, cwd);
    config = parseConfig(env, cwd);
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : `Could not read the configuration: ${redact((e as Error).message)}`}\n`);
    return 1;
  }
  const log = createLogger({ level: config.logLevel });
  const running: Running[] = [];
  let stopRequested = false;
  let startupDone = false;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  let stopping: Promise<void> | null = null;

  const stopAll = (code: number): Promise<void> => {
    stopping ??= (async () => {
      let failed = false;
      for (const item of running.reverse()) {
        try {
          await item.stop();
          log.info(`Stopped ${item.name}`);
        } catch (e) {
          failed = true;
          log.error(`Stopping ${item.name} failed`, { error: e });
        }
      }
      if (startupDone) log.info(failed ? "Chairside stopped, with errors" : "Chairside stopped");
      resolveExit(failed ? 1 : code);
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping || stopRequested) {
      log.warn(`${signal} again: exiting without waiting (the next start cleans up)`);
      process.exit(1);
    }
    stopRequested = true;
    log.info(`${signal} received: stopping Chairside`);
    // Also during startup: a step that waits (e.g. an unreachable Bot API) must not keep Ctrl-C from
    // working. What already runs is stopped now; the step in progress is abandoned with the process.
    void stopAll(0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  process.on("unhandledRejection", (reason) => {
    log.error("Unhandled promise rejection: stopping", { error: reason });
    void stopAll(1);
  });
  const checkpoint = () => {
    if (stopRequested) throw new StopRequested();
  };

  let databaseDescription = describeDatabase(config.database);
  const startup = async () => {
    const database = await openDatabase(config.database, log);
    databaseDescription = database.description;
    if (database.kind === "embedded") running.push({ name: "embedded PostgreSQL", stop: () => database.stop() });
    checkpoint();

    const migrated = await migrate(database.url);
    if (migrated.applied.length > 0) log.info(`Applied ${migrated.applied.length} database migration(s)`, { migrations: migrated.applied.join(",") });
    checkpoint();

    const prisma = createPrismaClient(database.url);
    const disconnect = async () => {
      if (!(await disconnectWithin(prisma, DISCONNECT_TIMEOUT_MS))) log.warn(`The database connections did not close within ${DISCONNECT_TIMEOUT_MS / 1000} s; going on without waiting`);
    };
    running.push({ name: "database connections (Prisma)", stop: disconnect });
    const core = createCore(prisma);
    if (config.demoData) {
      const demo = await seedDemoSalon(prisma);
      if (demo) log.info(`Created the demo salon "${demo.name}" (the database was empty; set DEMO_DATA=false to skip this)`);
    }
    const tenant = await core.catalog.getDefaultTenant();
    checkpoint();

    // Channel credentials are stored encrypted; the environment's go to the first salon.
    const secretKey = resolveSecretKey(config.secretKey ?? undefined, config.dataDir);
    if (secretKey.origin === "generated") log.warn(`Generated ${secretKey.file} to encrypt channel credentials: back it up, or set CHAIRSIDE_SECRET_KEY`);
    const connections = new ChannelConnectionsService(prisma, secretKey.box);
    // Web chat needs no credentials: every salon gets it (the environment's Azure app goes to the first),
    // at start and, for a salon added while the server runs (npm run salon:add), at the next reconcile.
    const webchatConversations = new WebchatStore(prisma);
    const channels: ChannelPlatform = new ChannelPlatform({
      core,
      connections,
      publicUrl: config.publicUrl,
      databaseUrl: database.url,
      log,
      beforeReconcile: async () => {
        const written = await ensureWebchatConnections({ connections, conversations: webchatConversations, firstSalonId: null, environment: null });
        for (const id of written) channels.hub.invalidate(id);
      },
    });
    for (const id of await ensureWebchatConnections({ connections, conversations: webchatConversations, firstSalonId: tenant?.id ?? null, environment: config.webchat })) {
      channels.hub.invalidate(id);
    }
    if (tenant) await channels.applyEnvironment(tenant, config);
    else if (config.telegram || config.whatsapp || config.viber) log.warn("Messenger credentials are set but the database has no salon yet (set DEMO_DATA=true to create the demo salon)");
    checkpoint();

    const app = createHttpApp({ checkDatabase: () => prisma.$queryRaw`SELECT 1`, log: log.child("http") });
    channels.mount(app);
    mountWebchatRoutes(app, { hub: channels.hub, conversations: webchatConversations, defaultSlug: () => tenant?.slug ?? null, log: log.child("webchat") });
    const admin = await loadAdminHandler();
    mountFallbacks(app, { admin, adminContext: { core, connections, environmentChannels: { tenantId: tenant?.id ?? null, channels: (["telegram", "whatsapp", "viber"] as const).filter((name) => config[name]) }, publicUrl: config.publicUrl, channelRuntime: { apply: () => channels.reconcile(), status: (id) => channels.status(id) } }, log: log.child("http") });
    checkpoint();

    const server = http.createServer(app);
    const address = await listen(server, config.http.host, config.http.port);
    running.push({ name: "HTTP server", stop: () => closeServer(server) });
    checkpoint();

    // After listen: Viber's set_webhook calls the webhook back before it answers.
    running.push({ name: "channels and the inbox worker", stop: () => channels.stop() });
    const channelLines = await channels.start(tenant);
    checkpoint();

    // The job worker (issue 5): outbox delivery through the salons' channels, reminders, no-shows.
    let jobsLine = "off (JOBS_IN_SERVER=false): run `npm run worker` for reminders and outbox delivery";
    if (config.jobsInServer) {
      const senders = new ChannelSenders({ resolve: (t, c) => channels.hub.resolve(t, c), channelNames: channels.hub.channelNames, now: () => core.clock.now(), log: log.child("jobs") });
      const jobs = await startJobs({ core, databaseUrl: database.url, senders, log: log.child("jobs") });
      running.push({ name: "job worker", stop: () => jobs.stop() });
      jobsLine = "reminders, outbox delivery and no-show detection in this process";
      checkpoint();
    }

    const base = `http://${displayHost(config.http.host)}:${address.port}`;
    // The owner's one-time link (a secret: printed here once, never logged) until a password is set.
    const owner = tenant && admin ? await prepareOwnerAccess(core, tenant, config.publicUrl ?? base) : null;
    const banner = [
      "Chairside is running.",
      `  Admin:    ${base}/${admin ? "" : "  (not built yet: run npm run build)"}`,
      ...(owner ? [`  Owner:    ${owner.email}${owner.signInUrl ? "" : " (sign in with your password)"}`] : []),
      ...(owner?.signInUrl ? [`  Sign-in link for the owner (one-time, sets the password): ${owner.signInUrl}`] : []),
      ...(tenant ? [`  Booking:  ${config.publicUrl ?? base}/book/${tenant.slug}`] : []),
      `  Health:   ${base}/health`,
      `  Database: ${database.description}`,
      `  Salon:    ${tenant ? `${tenant.name} (${tenant.slug})` : "none yet"}`,
      `  Secrets:  ${secretKeyLine(secretKey)}`,
      ...channelLines.map((line) => channelLine(line, tenant?.slug)),
      `  Jobs:     ${jobsLine}`,
      "Press Ctrl-C to stop.",
    ];
    process.stdout.write(`${redact(banner.join("\n"))}\n`);
    startupDone = true;
  };
  // Not awaited: a signal during a long startup step (an unreachable Bot API, say) resolves
  // `exited` through stopAll without waiting for that step.
  startup().catch(async (e: unknown) => {
    if (!(e instanceof StopRequested)) {
      log.error(`Chairside could not start: ${explainDatabaseError(e, databaseDescription)}`);
      log.debug("Start failure details", { error: e });
    }
    await stopAll(e instanceof StopRequested ? 0 : 1);
  });
  return exited;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${redact(String((e as Error)?.stack ?? e))}\n`);
    process.exit(1);
  },
);
