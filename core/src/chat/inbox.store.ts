import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../db/client.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import type { ChatKey } from "./chat-state.store.js";
import { LIVENESS_LOCK_NAMESPACE } from "./worker-liveness.js";

/** One inbound event of a channel, as the webhook (or poller) parsed it. */
export interface InboxMessageInput {
  /** The provider's id of the event: Telegram update_id, WhatsApp wamid, Viber message_token (a string: they exceed 2^53). */
  externalId: string;
  chatId: string;
  userId: string;
  /** The channel's parsed message (JSON); opaque here, validated again by the worker. */
  payload: unknown;
}

/** A provider's report about a message we sent. */
export interface StatusReportInput {
  providerMessageId: string;
  status: "sent" | "delivered" | "read" | "failed";
  at: Date;
  recipientId: string;
  error?: { code: string; message: string };
  /** Unique per report, e.g. `${wamid}:delivered`: a retried webhook records it once. */
  eventId: string;
  /** Our outbox id when the provider echoed it (WhatsApp `biz_opaque_callback_data`). */
  outboxId?: string;
}

/**
 * Applies one delivery's status reports to the outbox in the inbox's transaction
 * (NotificationService.onStatusReports), so a report is stored and applied together or not at all.
 */
export type StatusReportsHook = (tx: Prisma.TransactionClient, delivery: { tenantId: string; channel: string; statuses: StatusReportInput[] }) => Promise<void>;

/** A user subscribed to or left a channel that only messages subscribers (Viber). */
export interface SubscriptionInput {
  userId: string;
  subscribed: boolean;
}

/** Everything one verified webhook request (or polled update) reported. */
export interface InboxDelivery {
  tenantId: string;
  channel: string;
  messages: InboxMessageInput[];
  statuses?: StatusReportInput[];
  subscriptions?: SubscriptionInput[];
}

/** A stored inbound event: which one, where, and how far processing got. */
export interface InboxRow {
  tenantId: string;
  channel: string;
  externalId: string;
  chatId: string;
  userId: string;
  payload: unknown;
  status: "pending" | "done" | "failed";
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  processedAt: Date | null;
  replyMessageIds: string[];
}

/** Identifies one inbound event. */
export interface InboxRef {
  tenantId: string;
  channel: string;
  externalId: string;
}

const channel = z.string().min(1).max(32);
const id = z.string().min(1).max(256);
const refSchema = z.object({ tenantId: z.uuid(), channel, externalId: id });
const chatSchema = z.object({ tenantId: z.uuid(), channel, chatId: z.string().min(1).max(128) });
const deliverySchema = z.object({
  tenantId: z.uuid(),
  channel,
  messages: z.array(z.object({ externalId: id, chatId: z.string().min(1).max(128), userId: z.string().min(1).max(128), payload: z.unknown() })).max(1000),
  statuses: z
    .array(
      z.object({
        providerMessageId: id,
        status: z.enum(["sent", "delivered", "read", "failed"]),
        at: z.date(),
        recipientId: z.string().min(1).max(128),
        error: z.object({ code: z.string().max(64), message: z.string().max(1000) }).optional(),
        eventId: z.string().min(1).max(300),
        // A malformed echo never rejects the webhook: the report still matches by provider id.
        outboxId: z.uuid().optional().catch(undefined),
      }),
    )
    .max(1000)
    .default([]),
  subscriptions: z.array(z.object({ userId: z.string().min(1).max(128), subscribed: z.boolean() })).max(1000).default([]),
});

const rowSelect = {
  tenantId: true,
  channel: true,
  externalId: true,
  chatId: true,
  userId: true,
  payload: true,
  status: true,
  attempts: true,
  lastError: true,
  receivedAt: true,
  processedAt: true,
  replyMessageIds: true,
} as const;

/** Keeps an error text short and free of control characters before it is stored. */
function errorText(error: string): string {
  return error.replace(/[\u0000-\u001f\u007f]+/g, " ").slice(0, 1000);
}

/**
 * The persist-first inbox (table InboundEvent). A webhook records what it received in one
 * transaction before answering 200; the primary key (tenant, channel, provider id) makes a
 * provider's retry a no-op (INSERT ... ON CONFLICT DO NOTHING). Workers then take one chat's
 * pending rows oldest first (receivedAt, then insertion order) under a ChatLease, count an
 * attempt before each, and mark a row done in the same transaction as the conversation state.
 */
export class InboxStore {
  constructor(
    private readonly db: PrismaClient,
    /** Applies status reports to the outbox in `record`'s transaction; none: they are only stored. */
    private readonly onStatuses?: StatusReportsHook,
  ) {}

  /**
   * Records messages, delivery statuses and subscription changes of one delivery in one
   * transaction. Returns how many messages were new and the chats that have them (to kick a
   * worker). Throws `invalid_input`.
   */
  async record(input: InboxDelivery): Promise<{ inserted: number; chats: string[] }> {
    const d = parseInput(deliverySchema, input, "inbox delivery");
    const { tenantId, channel: ch } = d;
    return this.db.$transaction(async (tx) => {
      let inserted = 0;
      const chats = new Set<string>();
      // One row at a time, in batch order: `seq` then follows the order the provider gave.
      for (const m of d.messages) {
        const created = await tx.inboundEvent.createMany({
          data: [{ tenantId, channel: ch, externalId: m.externalId, chatId: m.chatId, userId: m.userId, payload: (m.payload ?? null) as Prisma.InputJsonValue }],
          skipDuplicates: true,
        });
        if (created.count === 1) {
          inserted += 1;
          chats.add(m.chatId);
        }
      }
      if (d.statuses.length > 0) {
        await tx.channelStatusEvent.createMany({
          data: d.statuses.map((s) => ({
            tenantId,
            channel: ch,
            providerMessageId: s.providerMessageId,
            status: s.status,
            at: s.at,
            recipientId: s.recipientId,
            eventId: s.eventId,
            ...(s.error ? { error: s.error } : {}),
          })),
          skipDuplicates: true,
        });
        const statuses = d.statuses.map(({ outboxId, error, ...s }) => ({ ...s, ...(error ? { error } : {}), ...(outboxId ? { outboxId } : {}) }));
        await this.onStatuses?.(tx, { tenantId, channel: ch, statuses });
      }
      for (const s of d.subscriptions) {
        await tx.channelSubscription.upsert({
          where: { tenantId_channel_userId: { tenantId, channel: ch, userId: s.userId } },
          create: { tenantId, channel: ch, userId: s.userId, subscribed: s.subscribed },
          update: { subscribed: s.subscribed },
        });
      }
      return { inserted, chats: [...chats] };
    });
  }

  /** The oldest pending event of a chat, or null when it has none. */
  async nextPending(chat: ChatKey): Promise<InboxRow | null> {
    const k = parseInput(chatSchema, chat, "chat key");
    return this.db.inboundEvent.findFirst({ where: { ...k, status: "pending" }, orderBy: [{ receivedAt: "asc" }, { seq: "asc" }], select: rowSelect });
  }

  /** True when the chat has pending events. */
  async hasPending(chat: ChatKey): Promise<boolean> {
    const k = parseInput(chatSchema, chat, "chat key");
    return (await this.db.inboundEvent.count({ where: { ...k, status: "pending" }, take: 1 })) > 0;
  }

  /** Counts one more processing attempt; returns the new count, or null when the row is no longer pending. */
  async startAttempt(ref: InboxRef): Promise<number | null> {
    const r = parseInput(refSchema, ref, "inbox event");
    const rows = await this.db.$queryRaw<{ attempts: number }[]>`
      UPDATE "InboundEvent" SET "attempts" = "attempts" + 1
      WHERE "tenantId" = ${r.tenantId}::uuid AND "channel" = ${r.channel} AND "externalId" = ${r.externalId} AND "status" = 'pending'
      RETURNING "attempts"`;
    return rows[0]?.attempts ?? null;
  }

  /**
   * Marks a pending event done, on `db` (pass the transaction that saves the conversation state,
   * so both commit or neither), and records on the sender's client identity (if any) that they
   * wrote at the event's receivedAt (`lastInboundAt`, never moved backwards): WhatsApp's 24-hour
   * customer service window runs from there
   * (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows).
   * Throws `conflict` when it is not pending any more (another worker finished it): the caller's
   * transaction must roll back.
   */
  async complete(ref: InboxRef, db: Db = this.db): Promise<void> {
    const r = parseInput(refSchema, ref, "inbox event");
    const updated = await db.inboundEvent.updateMany({ where: { ...r, status: "pending" }, data: { status: "done", processedAt: new Date(), lastError: null } });
    if (updated.count !== 1) throw new DomainError("conflict", `Inbound event ${r.channel}:${r.externalId} was already processed`);
    await db.$executeRaw`
      UPDATE "ClientIdentity" AS ci SET "lastInboundAt" = e."receivedAt"
      FROM "InboundEvent" AS e
      WHERE e."tenantId" = ${r.tenantId}::uuid AND e."channel" = ${r.channel} AND e."externalId" = ${r.externalId}
        AND ci."tenantId" = e."tenantId" AND ci."channel" = e."channel" AND ci."externalId" = e."userId"
        AND (ci."lastInboundAt" IS NULL OR ci."lastInboundAt" < e."receivedAt")`;
  }

  /** Stores the provider ids of the replies sent for an event (for delivery statuses). */
  async recordReplies(ref: InboxRef, messageIds: readonly string[]): Promise<void> {
    const r = parseInput(refSchema, ref, "inbox event");
    if (messageIds.length === 0) return;
    await this.db.inboundEvent.updateMany({ where: r, data: { replyMessageIds: { push: messageIds.map((m) => m.slice(0, 256)) } } });
  }

  /**
   * Records a failed attempt: the row stays pending for a later retry, or becomes failed once it
   * had `maxAttempts` attempts. Returns the resulting status.
   */
  async recordFailure(ref: InboxRef, error: string, maxAttempts: number): Promise<"pending" | "failed"> {
    const r = parseInput(refSchema, ref, "inbox event");
    const text = errorText(error);
    const failed = await this.db.inboundEvent.updateMany({
      where: { ...r, status: "pending", attempts: { gte: maxAttempts } },
      data: { status: "failed", lastError: text, processedAt: new Date() },
    });
    if (failed.count === 1) return "failed";
    await this.db.inboundEvent.updateMany({ where: { ...r, status: "pending" }, data: { lastError: text } });
    return "pending";
  }

  /**
   * Chats with pending events and no live lease (none, expired, or held by a process that is gone:
   * left by a crash, or never kicked), at most `limit`.
   */
  async pendingChats(limit = 100): Promise<ChatKey[]> {
    const n = parseInput(z.number().int().min(1).max(10_000), limit, "limit");
    return this.db.$queryRaw<ChatKey[]>`
      SELECT DISTINCT e."tenantId"::text AS "tenantId", e."channel", e."chatId"
      FROM "InboundEvent" e
      WHERE e."status" = 'pending'
        AND NOT EXISTS (
          SELECT 1 FROM "ChatLease" l
          WHERE l."tenantId" = e."tenantId" AND l."channel" = e."channel" AND l."chatId" = e."chatId" AND l."expiresAt" > now()
            AND (l."instanceKey" = 0 OR EXISTS (
              SELECT 1 FROM pg_locks k
              WHERE k.locktype = 'advisory' AND k.objsubid = 2 AND k.granted
                AND k.classid::bigint = ${LIVENESS_LOCK_NAMESPACE} AND k.objid::bigint = l."instanceKey")))
      LIMIT ${n}`;
  }

  /**
   * Records an event that was handled outside the inbox worker (the owner's Telegram commands,
   * handled at once by the runtime) as done, so a redelivery of the same provider id (a webhook
   * retry, a poller restarted before Telegram saw the offset) is recognised by any instance: the
   * caller checks `get` first and skips the event when a row exists. `chatId`/`userId`: as in
   * `record`. Returns false when the row was already there. Throws `invalid_input`.
   */
  async recordHandled(input: InboxRef & { chatId: string; userId: string }): Promise<boolean> {
    const r = parseInput(refSchema, input, "inbox event");
    const chat = parseInput(z.object({ chatId: z.string().min(1).max(128), userId: z.string().min(1).max(128) }), input, "inbox event");
    const created = await this.db.inboundEvent.createMany({
      data: [{ ...r, ...chat, payload: { handledBy: r.channel }, status: "done", attempts: 1, processedAt: new Date() }],
      skipDuplicates: true,
    });
    return created.count === 1;
  }

  /** One event, or null (for tests and the admin). */
  async get(ref: InboxRef): Promise<InboxRow | null> {
    const r = parseInput(refSchema, ref, "inbox event");
    return this.db.inboundEvent.findUnique({ where: { tenantId_channel_externalId: r }, select: rowSelect });
  }

  /**
   * Deletes processed (done or failed) events received before `before`; providers stop retrying
   * after a day or so, so a week is plenty. Returns how many.
   */
  async pruneBefore(before: Date): Promise<number> {
    const result = await this.db.inboundEvent.deleteMany({ where: { receivedAt: { lt: before }, status: { not: "pending" } } });
    return result.count;
  }
}
