/**
 * The one file that imports Agenda (agenda 6 + @agendajs/postgres-backend 3): the registry's jobs
 * on the server's own PostgreSQL, their table in the schema "agenda" (created by the migration
 * 20261121050000_notifications; the backend's connections set search_path=agenda and never run
 * DDL, so processes starting together cannot race). Recurring jobs are "single" jobs: however many
 * processes run, each job has one row and runs in one process at a time (locked per run).
 * https://github.com/agenda/agenda (v6 README: backends, define options, every).
 */
import type { EventEmitter } from "node:events";
import { PostgresBackend } from "@agendajs/postgres-backend";
import { Agenda, backoffStrategies } from "agenda";
import pg from "pg";
import type { Logger } from "../log.js";
import { JOB_NAMES, JOBS, type JobDeps, type JobName } from "./registry.js";

/** Scheduler settings; intervals default to the registry's. */
export interface SchedulerOptions {
  databaseUrl: string;
  /** Shown in Agenda's lock records ("last_modified_by"): host and pid. */
  name: string;
  /** How often Agenda looks for due jobs, ms. Default 2 000. */
  processEveryMs?: number;
  /** Per job, how often it runs, ms. */
  everyMs?: Partial<Record<JobName, number>>;
  log: Logger;
}

/** A running scheduler. */
export interface Scheduler {
  /** Runs a job once now (in whichever process picks it up first). */
  runNow<N extends JobName>(name: N, payload: Parameters<(typeof JOBS)[N]["handler"]>[0]): Promise<void>;
  /** Stops looking for jobs, releases the locks of jobs not started, waits up to 10 s for running ones. */
  stop(): Promise<void>;
}

/** Defines every job of the registry, schedules the recurring ones and starts processing. */
export async function startScheduler(deps: JobDeps, options: SchedulerOptions): Promise<Scheduler> {
  const { log } = options;
  // Our own pool, so that a dropped connection (a database restart) is logged, not an unhandled
  // 'error' event that ends the process; the same for the backend's LISTEN channel.
  const pool = new pg.Pool({ connectionString: options.databaseUrl, options: "-c search_path=agenda", max: 4 });
  pool.on("error", (e) => log.warn("A job scheduler connection was lost; it reconnects", { error: e.message }));
  const backend = new PostgresBackend({ pool, ensureSchema: false });
  (backend.notificationChannel as unknown as EventEmitter | undefined)?.on("error", (e: Error) =>
    log.warn("The job scheduler's notification channel failed; it reconnects", { error: e.message }),
  );
  const agenda = new Agenda({ backend, name: options.name, processEvery: options.processEveryMs ?? 2_000, defaultConcurrency: 1 });
  agenda.on("error", (e: Error) => log.error("Job scheduler error", { error: e.message }));
  agenda.on("fail", (e: Error, job) => log.error("Job failed", { job: job.attrs.name, error: e.message }));
  let running = 0;
  agenda.on("start", () => running++);
  agenda.on("complete", () => running--);

  for (const name of JOB_NAMES) {
    const spec = JOBS[name];
    agenda.define(
      name,
      async (job) => {
        const payload = spec.schema.safeParse(job.attrs.data ?? {});
        if (!payload.success) throw new Error(`Invalid payload for ${name}: ${payload.error.issues.map((i) => i.message).join("; ")}`);
        await (spec.handler as (p: unknown, d: JobDeps) => Promise<void>)(payload.data, deps);
      },
      {
        concurrency: 1,
        lockLifetime: spec.lockLifetimeMs,
        ...(spec.retry ? { backoff: backoffStrategies.exponential({ delay: spec.retry.delayMs, maxRetries: spec.retry.maxRetries, jitter: 0.2 }) } : {}),
      },
    );
  }
  await agenda.start();
  for (const name of JOB_NAMES) await agenda.every(options.everyMs?.[name] ?? JOBS[name].everyMs, name, {});

  return {
    async runNow(name, payload) {
      await agenda.now(name, payload);
    },
    async stop() {
      // stop() releases the locks of jobs fetched but not started (drain() would keep them locked
      // until their lock lifetime ends); jobs already running finish and record it, then the
      // connections close.
      await agenda.stop(false);
      const deadline = Date.now() + 10_000;
      while (running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await pool.end();
    },
  };
}
