/**
 * The machinery of one delivery batch (see delivery.ts): bounded concurrency, group commit of
 * accepted sends, the batch's claims (renewed together, checked before each send), memoised lookups.
 */
import type { PrismaClient } from "@prisma/client";
import type { Clock } from "../clock.js";
import { renewLeases, type ClaimedRow } from "./outbox.repository.js";

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

/**
 * Group commit: items added while a flush runs go together in the next one; `add` resolves when
 * its item is flushed. Adds no delay when idle.
 */
export class GroupCommit<T> {
  private queue: { item: T; done: (error?: unknown) => void }[] = [];
  private flushing = false;

  constructor(private readonly flush: (items: T[]) => Promise<void>) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, done: (e) => (e === undefined ? resolve() : reject(e)) });
      if (!this.flushing) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 500);
      try {
        await this.flush(batch.map((b) => b.item));
        for (const b of batch) b.done();
      } catch (e) {
        for (const b of batch) b.done(e ?? new Error("commit failed"));
      }
    }
    this.flushing = false;
  }
}

/** The claims of one batch: renewed together, checked before each send. */
export class Claims {
  private readonly unfinished: Map<string, string>;
  private readonly lapsed = new Set<string>();
  /** Until when every unfinished claim is known to hold (clock ms). */
  private validUntil: number;

  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly leaseMs: number,
    rows: readonly ClaimedRow[],
  ) {
    this.unfinished = new Map(rows.map((r) => [r.id, r.attemptToken]));
    this.validUntil = clock.now().getTime() + leaseMs;
  }

  /** Extends every unfinished claim; a claim that is no longer ours is remembered as lapsed. */
  async renewAll(): Promise<void> {
    if (this.unfinished.size === 0) return;
    const claims = [...this.unfinished].map(([id, token]) => ({ id, token }));
    const from = this.clock.now().getTime();
    try {
      const renewed = new Set(await renewLeases(this.db, claims, new Date(from + this.leaseMs)));
      for (const c of claims) if (!renewed.has(c.id)) this.lapsed.add(c.id);
      this.validUntil = from + this.leaseMs;
    } catch {
      // A missed renewal only shortens the lease; stillOurs() checks again before sending.
    }
  }

  /** True when the row's claim holds: known valid for at least a third of the lease, or re-asserted now. */
  async stillOurs(row: ClaimedRow): Promise<boolean> {
    if (this.lapsed.has(row.id)) return false;
    const from = this.clock.now().getTime();
    if (from < this.validUntil - this.leaseMs / 3) return true;
    const renewed = await renewLeases(this.db, [{ id: row.id, token: row.attemptToken }], new Date(from + this.leaseMs));
    if (renewed.length === 1) return true;
    this.lapsed.add(row.id);
    return false;
  }

  finished(id: string): void {
    this.unfinished.delete(id);
  }
}

/** Caches an async lookup for the life of one batch. */
export function memo<T>(fn: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = fn(key)));
    return hit;
  };
}
