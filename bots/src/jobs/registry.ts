/**
 * Every scheduled job, typed and exhaustive: the compiler demands a schema, a handler and a retry
 * policy for each name. Payloads are validated with zod before a handler runs. Handlers are
 * idempotent: a job run again after a crash (Agenda re-runs a job whose lock expired) repeats no
 * message, because every message is an outbox row with an idempotency key, delivered by claim.
 * Only scheduler.ts knows Agenda.
 */
import { type Core, WebchatStore } from "@chairside/core";
import { z } from "zod";
import type { Logger } from "../log.js";
import type { DeliveryLoop } from "./delivery-loop.js";

/** The payload of each job. */
export interface JobPayloads {
  /** Wakes every process's delivery loop (the heartbeat for messages whose time has come). */
  "outbox:deliver": Record<string, never>;
  /** Plans today's birthday greetings and re-activation nudges; one salon or all. */
  "reminders:plan-periodic": { tenantId?: string | undefined };
  /** Marks overdue confirmed bookings no-show. */
  "bookings:no-show": Record<string, never>;
  /** Writes the owners' daily summaries that are due (salons that switched them on, past their opening). */
  "owner:daily-summary": Record<string, never>;
  /** Deletes web chat conversations (and their transcripts) idle for WEBCHAT_RETENTION_DAYS. */
  "webchat:prune": Record<string, never>;
}

/** How long an idle web chat conversation and its transcript are kept, in days. */
export const WEBCHAT_RETENTION_DAYS = 30;

/** A job's name. */
export type JobName = keyof JobPayloads;

/** What handlers get. */
export interface JobDeps {
  core: Core;
  delivery: DeliveryLoop;
  /** Wakes the delivery loops of all processes (PostgreSQL NOTIFY). */
  wakeAllDeliveries(): Promise<void>;
  log: Logger;
}

/** One job's definition. */
export interface JobSpec<P> {
  description: string;
  schema: z.ZodType<P>;
  handler(payload: P, deps: JobDeps): Promise<void>;
  /** Retries after a failure (exponential from `delayMs`), or null: the next scheduled run is the retry. */
  retry: { maxRetries: number; delayMs: number } | null;
  /** How often it runs, ms (the runtime may override, e.g. in tests). */
  everyMs: number;
  /** How long one run may hold the job's lock before another process may start it again, ms. */
  lockLifetimeMs: number;
}

const empty = z.object({}).strict() as unknown as z.ZodType<Record<string, never>>;

/** The registry. */
export const JOBS: { [N in JobName]: JobSpec<JobPayloads[N]> } = {
  "outbox:deliver": {
    description: "wake the outbox delivery of every process",
    schema: empty,
    async handler(_payload, deps) {
      deps.delivery.kick();
      await deps.wakeAllDeliveries();
    },
    retry: null,
    everyMs: 5_000,
    lockLifetimeMs: 30_000,
  },
  "reminders:plan-periodic": {
    description: "plan birthday greetings and re-activation nudges for each salon's local day",
    schema: z.object({ tenantId: z.uuid().optional() }),
    async handler(payload, deps) {
      const report = await deps.core.notifications.planPeriodic(payload.tenantId);
      if (report.birthdays + report.reactivations > 0) {
        deps.log.info("Planned greetings", { ...report });
        await deps.wakeAllDeliveries();
      }
    },
    retry: { maxRetries: 3, delayMs: 60_000 },
    everyMs: 15 * 60_000,
    lockLifetimeMs: 5 * 60_000,
  },
  "bookings:no-show": {
    description: "mark confirmed bookings no-show once their grace period has passed",
    schema: empty,
    async handler(_payload, deps) {
      const marked = await deps.core.notifications.markNoShows();
      if (marked.length > 0) deps.log.info("Marked bookings no-show", { count: marked.length });
    },
    retry: null,
    everyMs: 60_000,
    lockLifetimeMs: 2 * 60_000,
  },
  "owner:daily-summary": {
    description: "send each salon's daily summary to its linked owners and managers at opening time, once per local date",
    schema: empty,
    async handler(_payload, deps) {
      const report = await deps.core.owner.planDailySummaries();
      if (report.written > 0) {
        deps.log.info("Planned owners' daily summaries", { ...report });
        await deps.wakeAllDeliveries();
      }
    },
    retry: { maxRetries: 3, delayMs: 60_000 },
    everyMs: 5 * 60_000,
    lockLifetimeMs: 5 * 60_000,
  },
  "webchat:prune": {
    description: `delete web chat conversations idle for ${WEBCHAT_RETENTION_DAYS} days, with their transcripts`,
    schema: empty,
    async handler(_payload, deps) {
      const before = new Date(deps.core.clock.now().getTime() - WEBCHAT_RETENTION_DAYS * 86_400_000);
      const deleted = await new WebchatStore(deps.core.prisma).pruneInactive(before);
      if (deleted > 0) deps.log.info("Deleted idle web chat conversations", { count: deleted });
    },
    retry: null,
    everyMs: 6 * 60 * 60_000,
    lockLifetimeMs: 5 * 60_000,
  },
};

/** Every job name, in registry order. */
export const JOB_NAMES = Object.keys(JOBS) as JobName[];
