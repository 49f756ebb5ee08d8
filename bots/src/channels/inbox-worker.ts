/**
 * Processes the inbox: every inbound event exactly once, one chat's events strictly in the order
 * they were received, by one worker at a time across all server processes.
 *
 * - Kicked in-process right after a delivery stored new events, and by a periodic sweep (every
 *   few seconds) that finds chats with pending events and no live lease: left by a process that
 *   died, or stored by another instance.
 * - Per chat: claim the chat's lease (ChatLease, ~30 s, renewed while working), take the oldest
 *   pending event, count the attempt, acknowledge it on the channel (Telegram: answer the button
 *   press), run the conversation step, and commit the new state together with marking the event
 *   done (and a check that the lease is still ours) in one transaction; then send the reply;
 *   repeat; release; look once more for events that arrived meanwhile.
 * - A failure leaves the event pending (later events of that chat wait behind it) for the next
 *   sweep; after 5 attempts it is marked failed with the last error, logged, and the chat moves on.
 *   A crash mid-event: the lease expires and another worker retries it (attempts + 1).
 * - Replies are sent directly after the commit, not through an outbox: a conversation reply is
 *   only useful within seconds, and the state is saved, so a client whose reply was lost sees
 *   where they stand with their next message. A failed send is logged, never retried.
 */
import { randomUUID } from "node:crypto";
import { type ChatKey, type ChatLeaseStore, type InboxRow, type InboxStore, isDomainError, type TenantView } from "@chairside/core";
import { z } from "zod";
import type { ConversationEngine } from "../conversation/engine.js";
import type { Logger } from "../conversation/types.js";
import type { Channel, InboundMessage } from "./channel.js";

/** Tuning of the worker; the defaults suit production. */
export interface InboxWorkerTuning {
  /** How long a claimed chat stays ours without renewal, ms (renewed every third of it). Default 30 s. */
  leaseMs: number;
  /** How often the sweep looks for pending events nobody works on, ms. Default 3 s. */
  sweepMs: number;
  /** Attempts before an event is marked failed. Default 5. */
  maxAttempts: number;
  /** Chats processed at the same time by this process. Default 8. */
  concurrency: number;
}

/** What the worker needs. */
export interface InboxWorkerDeps {
  inbox: Pick<InboxStore, "nextPending" | "hasPending" | "startAttempt" | "complete" | "recordReplies" | "recordFailure" | "pendingChats" | "pruneBefore">;
  leases: Pick<ChatLeaseStore, "claim" | "renew" | "release" | "assertHeld">;
  engine: Pick<ConversationEngine, "process">;
  /** The salon and its channel for sending; null when the salon has no enabled connection of that channel. */
  resolve(tenantId: string, channel: string): Promise<{ tenant: TenantView; channel: Channel } | null>;
  log: Logger;
}

const DEFAULTS: InboxWorkerTuning = { leaseMs: 30_000, sweepMs: 3_000, maxAttempts: 5, concurrency: 8 };
/** Processed events are kept this long (providers stop retrying after a day), then pruned by the sweep. */
const KEEP_PROCESSED_MS = 7 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

const conversationEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("start") }),
  z.object({ kind: z.literal("text"), text: z.string().max(10_000) }),
  z.object({ kind: z.literal("choice"), id: z.string().max(1_000) }),
  z.object({ kind: z.literal("contact"), phone: z.string().max(64), name: z.string().max(300), verified: z.boolean() }),
  z.object({ kind: z.literal("unsupported") }),
]);

/** The stored payload: the channel's InboundMessage (extra fields a channel adds are kept). */
const inboundMessageSchema = z.looseObject({
  chatId: z.string(),
  userId: z.string(),
  eventId: z.string(),
  profile: z.looseObject({ name: z.string().optional(), languageCode: z.string().optional(), verifiedPhone: z.string().optional() }),
  event: conversationEvent,
  ack: z.object({ token: z.string(), messageId: z.string().optional() }).optional(),
});

/** An event that can never succeed (its stored payload is not a message): failed at once. */
class PermanentError extends Error {}

const keyOf = (c: ChatKey) => `${c.tenantId}\u0000${c.channel}\u0000${c.chatId}`;
const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The inbox worker of one process. `start()` begins sweeping; `kick(chat)` after each delivery. */
export class InboxWorker {
  private readonly tuning: InboxWorkerTuning;
  /** Chats being processed here; `again` is set by a kick that arrived meanwhile. */
  private readonly running = new Map<string, { again: boolean }>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;
  private sweeping = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private lastPrune = 0;

  constructor(
    private readonly deps: InboxWorkerDeps,
    tuning: Partial<InboxWorkerTuning> = {},
  ) {
    this.tuning = { ...DEFAULTS, ...tuning };
  }

  /** Starts the periodic sweep (and runs one now). */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.sweep(), this.tuning.sweepMs);
    this.timer.unref();
    void this.sweep();
  }

  /** Processes a chat's pending events soon (in the background). Cheap to call often. */
  kick(chat: ChatKey): void {
    if (this.stopped) return;
    const key = keyOf(chat);
    const entry = this.running.get(key);
    if (entry) {
      entry.again = true;
      return;
    }
    const state = { again: false };
    this.running.set(key, state);
    const run: Promise<void> = this.runChat(chat, state)
      .catch((e: unknown) => this.deps.log.error("Inbox processing of a chat failed", { channel: chat.channel, chatId: chat.chatId, error: describe(e) }))
      .finally(() => {
        this.running.delete(key);
        this.inFlight.delete(run);
      });
    this.inFlight.add(run);
  }

  /** Kicks every chat with pending events that no live lease covers. Resolves when the kicks are issued. */
  async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      for (const chat of await this.deps.inbox.pendingChats(200)) this.kick(chat);
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        const pruned = await this.deps.inbox.pruneBefore(new Date(Date.now() - KEEP_PROCESSED_MS));
        if (pruned > 0) this.deps.log.debug("Pruned processed inbound events", { count: pruned });
      }
    } catch (e) {
      this.deps.log.warn("Inbox sweep failed; the next one retries", { error: describe(e) });
    } finally {
      this.sweeping = false;
    }
  }

  /** Resolves once nothing is being processed here (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops sweeping and taking new work; resolves when the events in progress are finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const wake of this.waiting.splice(0)) wake();
    await this.idle();
  }

  private async acquireSlot(): Promise<void> {
    while (this.active >= this.tuning.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
  }

  private releaseSlot(): void {
    this.active -= 1;
    this.waiting.shift()?.();
  }

  private async runChat(chat: ChatKey, state: { again: boolean }): Promise<void> {
    await this.acquireSlot();
    try {
      do {
        state.again = false;
        if (this.stopped) return;
        const outcome = await this.withLease(chat);
        // No lease: another process works on this chat and looks for new events before it lets go.
        if (outcome !== "drained" || this.stopped) return;
        // Events stored while we held the lease, whose kick found the chat taken (by us, elsewhere).
        if (await this.deps.inbox.hasPending(chat)) state.again = true;
      } while (state.again);
    } finally {
      this.releaseSlot();
    }
  }

  /** Claims the chat, drains it, releases it. */
  private async withLease(chat: ChatKey): Promise<"drained" | "busy" | "stopped" | "retry-later"> {
    const { leases, log } = this.deps;
    const holder = randomUUID();
    if (!(await leases.claim(chat, holder, this.tuning.leaseMs))) return "busy";
    let lost = false;
    const renewal = setInterval(() => {
      leases.renew(chat, holder, this.tuning.leaseMs).then(
        (ok) => {
          if (!ok) lost = true;
        },
        (e: unknown) => log.warn("Could not renew a chat lease", { channel: chat.channel, chatId: chat.chatId, error: describe(e) }),
      );
    }, Math.max(100, Math.floor(this.tuning.leaseMs / 3)));
    try {
      return await this.drain(chat, holder, () => lost);
    } finally {
      clearInterval(renewal);
      await leases.release(chat, holder).catch((e: unknown) => log.warn("Could not release a chat lease (it expires by itself)", { chatId: chat.chatId, error: describe(e) }));
    }
  }

  /** Processes the chat's pending events oldest first while the lease is ours. */
  private async drain(chat: ChatKey, holder: string, lost: () => boolean): Promise<"drained" | "stopped" | "retry-later"> {
    const { inbox, log } = this.deps;
    for (;;) {
      if (this.stopped || lost()) return "stopped";
      const row = await inbox.nextPending(chat);
      if (!row) return "drained";
      const ref = { tenantId: row.tenantId, channel: row.channel, externalId: row.externalId };
      const fields = { tenantId: row.tenantId, channel: row.channel, chatId: row.chatId, eventId: row.externalId };
      const attempt = await inbox.startAttempt(ref);
      if (attempt === null) continue; // finished by someone else meanwhile
      if (attempt > this.tuning.maxAttempts) {
        const reason = row.lastError ?? `processing stopped (a crash?) during each of ${this.tuning.maxAttempts} attempts`;
        await inbox.recordFailure(ref, reason, this.tuning.maxAttempts);
        log.error("Gave up on an inbound event: the client gets no answer to it", { ...fields, attempts: attempt - 1, error: reason });
        continue;
      }
      try {
        if ((await this.handle(row, chat, holder)) === "lost") {
          log.info("Another worker took over this chat", fields);
          return "stopped";
        }
      } catch (e) {
        const permanent = e instanceof PermanentError;
        const status = await inbox.recordFailure(ref, describe(e), permanent ? 0 : this.tuning.maxAttempts);
        if (status === "failed") {
          log.error("Gave up on an inbound event: the client gets no answer to it", { ...fields, attempts: attempt, error: describe(e) });
          continue;
        }
        log.warn("Processing an inbound event failed; it will be retried", { ...fields, attempt, error: describe(e) });
        return "retry-later";
      }
    }
  }

  /** One event: acknowledge, step + commit, send. "lost" when another worker handled it. */
  private async handle(row: InboxRow, chat: ChatKey, holder: string): Promise<"done" | "lost"> {
    const { inbox, leases, engine, log } = this.deps;
    const parsed = inboundMessageSchema.safeParse(row.payload);
    if (!parsed.success) throw new PermanentError("The stored payload is not an inbound message");
    const message = parsed.data as InboundMessage;
    const salon = await this.deps.resolve(row.tenantId, row.channel);
    if (!salon) throw new Error(`This salon has no enabled ${row.channel} connection`);
    await salon.channel.acknowledge?.(message);
    const ref = { tenantId: row.tenantId, channel: row.channel, externalId: row.externalId };
    let prompts;
    try {
      prompts = await engine.process(
        {
          tenant: salon.tenant,
          channel: row.channel,
          chatId: row.chatId,
          userId: row.userId,
          eventId: row.externalId,
          profile: message.profile,
          event: message.event,
          sharesContact: salon.channel.limits.sharesContact,
        },
        async (tx) => {
          await leases.assertHeld(chat, holder, tx);
          await inbox.complete(ref, tx);
        },
      );
    } catch (e) {
      if (isDomainError(e, "conflict")) return "lost";
      throw e;
    }
    if (prompts.length === 0) return "done";
    try {
      const ids = await salon.channel.send(row.chatId, prompts);
      if (ids && ids.length > 0) await inbox.recordReplies(ref, ids);
    } catch (e) {
      log.error("Could not send a reply (the event is handled; it is not sent again)", { channel: row.channel, chatId: row.chatId, eventId: row.externalId, error: describe(e) });
    }
    return "done";
  }
}
