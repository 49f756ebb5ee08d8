/**
 * Change notices for a salon's bookings, for screens that must follow them live (the staff
 * calendar). Whoever writes (this process, the bots in another process, a script), the notice comes
 * from the database itself: one small query per interval over the salons someone is listening to.
 *
 * Why polling and not LISTEN/NOTIFY: a listener needs its own long-lived connection built from a
 * connection string, and the services only hold a pooled Prisma client (the embedded database's
 * URL is not even in the environment). Polling a version per salon costs one grouped index scan
 * every interval per process, however many screens are open, and sees every writer.
 */
import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { parseInput } from "../validation.js";

/** A salon's bookings version: "<row count>:<latest updatedAt in epoch ms>" (every write sets updatedAt; rows are never deleted). */
export type BookingsVersion = string;

/** What a listener is told: the salon's bookings changed and are now at `version`. */
export interface BookingFeedNotice {
  tenantId: string;
  version: BookingsVersion;
}

/** Options of a BookingFeed. */
export interface BookingFeedOptions {
  /** Milliseconds between two looks at the database while someone listens. Default 2000. */
  intervalMs?: number;
  /** Called with a failed look (the next one is tried after the interval). Default: ignored. */
  onError?: (error: unknown) => void;
}

interface Listener {
  tenantId: string;
  notify: (notice: BookingFeedNotice) => void;
  /** The version this listener last saw; undefined until the first look. */
  seen: BookingsVersion | undefined;
}

const tenantIdSchema = z.uuid();
const versionSchema = z.string().regex(/^\d+:\d+$/).max(40);

/**
 * Polls the bookings version of every salon with a listener, every `intervalMs` while anyone
 * listens (no timer otherwise), and tells each listener when its salon's version differs from the
 * one it last saw. A listener may start from a version it already has (`since`, e.g. the one its
 * page was rendered with) so a change between rendering and subscribing is not lost.
 */
export class BookingFeed {
  private readonly listeners = new Set<Listener>();
  private readonly intervalMs: number;
  private readonly onError: (error: unknown) => void;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private closed = false;

  constructor(
    private readonly db: PrismaClient,
    options: BookingFeedOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 2000;
    this.onError = options.onError ?? (() => {});
  }

  /** The current bookings version of one salon. Throws `invalid_input` for a malformed id. */
  async version(tenantId: string): Promise<BookingsVersion> {
    const id = parseInput(tenantIdSchema, tenantId, "salon id");
    return (await this.versions([id])).get(id)!;
  }

  /**
   * Calls `notify` whenever the salon's bookings change, starting from `since` (a version the
   * caller has; a malformed one counts as none). Without `since`, the first look only records the
   * version. Returns the function that stops the notices. Throws `invalid_input` for a malformed id.
   */
  subscribe(tenantId: string, notify: (notice: BookingFeedNotice) => void, options: { since?: string | null } = {}): () => void {
    const id = parseInput(tenantIdSchema, tenantId, "salon id");
    const since = versionSchema.safeParse(options.since);
    const listener: Listener = { tenantId: id, notify, seen: since.success ? since.data : undefined };
    this.listeners.add(listener);
    if (!this.running && !this.closed) {
      this.running = true;
      this.schedule(0);
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** How many listeners are attached (for tests and diagnostics). */
  get size(): number {
    return this.listeners.size;
  }

  /** Stops polling for good; listeners get no more notices. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = false;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.closed) return;
    if (this.listeners.size === 0) {
      this.running = false;
      return;
    }
    try {
      // Only the listeners present before the query: one added meanwhile waits for the next look.
      const listeners = [...this.listeners];
      const versions = await this.versions([...new Set(listeners.map((l) => l.tenantId))]);
      for (const listener of listeners) {
        if (!this.listeners.has(listener)) continue;
        const version = versions.get(listener.tenantId)!;
        if (listener.seen === undefined) {
          listener.seen = version;
        } else if (listener.seen !== version) {
          listener.seen = version;
          try {
            listener.notify({ tenantId: listener.tenantId, version });
          } catch (e) {
            this.onError(e);
          }
        }
      }
    } catch (e) {
      this.onError(e);
    }
    if (!this.closed) this.schedule(this.intervalMs);
  }

  /** One grouped query for several salons; a salon without bookings is at "0:0". */
  private async versions(tenantIds: string[]): Promise<Map<string, BookingsVersion>> {
    const rows = await this.db.booking.groupBy({
      by: ["tenantId"],
      where: { tenantId: { in: tenantIds } },
      _count: { _all: true },
      _max: { updatedAt: true },
    });
    const out = new Map<string, BookingsVersion>(tenantIds.map((id) => [id, "0:0"]));
    for (const r of rows) out.set(r.tenantId, `${r._count._all}:${r._max.updatedAt?.getTime() ?? 0}`);
    return out;
  }
}
