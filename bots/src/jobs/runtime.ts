/**
 * The job worker of one process: the outbox delivery loop (woken by NOTIFY), its listener and the
 * Agenda scheduler. `npm start` runs it inside the server by default; `npm run worker` runs it
 * alone (bots/src/jobs/worker.ts). Any number of processes may run it against one database.
 */
import os from "node:os";
import { type Core, type DeliveryOptions, OUTBOX_NOTIFY_CHANNEL, type SenderDirectory } from "@chairside/core";
import type { Logger } from "../log.js";
import { DeliveryLoop, OutboxListener } from "./delivery-loop.js";
import type { JobDeps, JobName } from "./registry.js";
import { startScheduler } from "./scheduler.js";

/** What the job worker needs. */
export interface JobRuntimeOptions {
  core: Core;
  /** The database the core uses (the scheduler and the listener open their own connections). */
  databaseUrl: string;
  senders: SenderDirectory;
  log: Logger;
  /** Delivery tuning (lease, backoff, batch size); core's defaults otherwise. */
  delivery?: Partial<DeliveryOptions>;
  /** Delivery batches in progress at once in this process. Default 2. */
  deliveryLanes?: number;
  /** Job intervals, ms (tests shorten them). */
  everyMs?: Partial<Record<JobName, number>>;
  /** How often the scheduler looks for due jobs, ms. */
  processEveryMs?: number;
  /** This process in the scheduler's records; default "<host>:<pid>". */
  name?: string;
}

/** A running job worker. */
export interface JobRuntime {
  delivery: DeliveryLoop;
  /** Stops the scheduler, the listener and the loop (after the batch in progress). */
  stop(): Promise<void>;
}

/** Starts the job worker. Throws when the database cannot be reached. */
export async function startJobs(options: JobRuntimeOptions): Promise<JobRuntime> {
  const { core, log } = options;
  const delivery = new DeliveryLoop({
    core,
    senders: options.senders,
    ...(options.delivery ? { options: options.delivery } : {}),
    ...(options.deliveryLanes ? { lanes: options.deliveryLanes } : {}),
    log: log.child("outbox"),
  });
  const listener = new OutboxListener(options.databaseUrl, () => delivery.kick(), log.child("outbox"));
  const deps: JobDeps = {
    core,
    delivery,
    wakeAllDeliveries: async () => {
      await core.prisma.$executeRaw`SELECT pg_notify(${OUTBOX_NOTIFY_CHANNEL}, '')`;
    },
    log,
  };
  await listener.start();
  let scheduler: Awaited<ReturnType<typeof startScheduler>>;
  try {
    scheduler = await startScheduler(deps, {
      databaseUrl: options.databaseUrl,
      name: options.name ?? `${os.hostname()}:${process.pid}`,
      ...(options.processEveryMs ? { processEveryMs: options.processEveryMs } : {}),
      ...(options.everyMs ? { everyMs: options.everyMs } : {}),
      log: log.child("scheduler"),
    });
  } catch (e) {
    await listener.stop();
    throw e;
  }
  return {
    delivery,
    async stop() {
      await scheduler.stop();
      await listener.stop();
      await delivery.stop();
    },
  };
}
