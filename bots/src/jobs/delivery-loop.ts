/**
 * Outbox delivery in one process: a loop that drains due rows batch by batch, woken by
 * PostgreSQL NOTIFY (a committed transaction wrote messages, or the scheduler's heartbeat) and at
 * start. Several processes may run it at once: rows are claimed with FOR UPDATE SKIP LOCKED.
 */
import { type Core, type DeliveryOptions, type DeliveryReport, OUTBOX_NOTIFY_CHANNEL, type SenderDirectory } from "@chairside/core";
import pg from "pg";
import type { Logger } from "../log.js";

/** Totals of the loop since it started (for logs and tests). */
export interface DeliveryTotals extends Omit<DeliveryReport, "claimed"> {
  batches: number;
}

/** Drains the outbox; `drain` calls made while one runs share it (and cause one more pass). */
export class DeliveryLoop {
  readonly totals: DeliveryTotals = { batches: 0, sent: 0, retrying: 0, failed: 0, cancelled: 0, lost: 0, rerouted: 0 };
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      core: Core;
      senders: SenderDirectory;
      options?: Partial<DeliveryOptions>;
      /** Batches in progress at once (each claims its own rows). Default 2: one sends while the next is claimed. */
      lanes?: number;
      log: Logger;
    },
  ) {}

  /** Starts a drain without waiting for it (errors are logged). */
  kick(): void {
    void this.drain();
  }

  /** Delivers batches until none is due; resolves when done. Never rejects: failures are logged and retried on the next wake-up. */
  drain(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Stops after the batch in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async pass(): Promise<void> {
    await Promise.all(Array.from({ length: Math.max(1, this.deps.lanes ?? 2) }, () => this.lane()));
  }

  private async lane(): Promise<void> {
    const { core, senders, options, log } = this.deps;
    while (!this.stopped) {
      let report: DeliveryReport;
      try {
        report = await core.notifications.deliverDue(senders, options);
      } catch (e) {
        log.error("Outbox delivery failed; trying again at the next wake-up", { error: e instanceof Error ? e.message : String(e) });
        return;
      }
      if (report.claimed === 0) return;
      this.totals.batches++;
      this.totals.sent += report.sent;
      this.totals.retrying += report.retrying;
      this.totals.failed += report.failed;
      this.totals.cancelled += report.cancelled;
      this.totals.lost += report.lost;
      this.totals.rerouted += report.rerouted;
      log.debug("Outbox batch delivered", { ...report });
    }
  }
}

/**
 * LISTENs on the outbox channel on its own connection and calls `onWake` for every notification,
 * and after each (re)connect (notifications sent while disconnected are lost, so look anyway).
 * Reconnects with backoff (1 s doubling to 30 s) when the connection drops.
 */
export class OutboxListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = 1000;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly onWake: () => void,
    private readonly log: Logger,
  ) {}

  /** Connects and listens; throws when the first connection fails (a wrong URL should stop start-up). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on("notification", () => this.onWake());
    client.on("error", (e) => this.lost(client, e));
    client.on("end", () => this.lost(client, null));
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = 1000;
    this.onWake();
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.log.warn("Lost the outbox notification connection; reconnecting", { error: error?.message });
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.connect().catch((e: unknown) => {
        this.retryMs = Math.min(this.retryMs * 2, 30_000);
        this.log.warn("Could not reconnect the outbox notification connection", { error: e instanceof Error ? e.message : String(e), retryInMs: this.retryMs });
        this.reconnectLater();
      });
    }, this.retryMs);
  }
}
