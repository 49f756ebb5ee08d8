/**
 * The outbox table, in SQL where it matters: idempotent writes (INSERT ... ON CONFLICT), claims
 * (FOR UPDATE SKIP LOCKED with a lease and an attempt token) and outcomes that only the claim's
 * holder may record. Every function takes the Prisma client or a transaction.
 */
import { Prisma, type OutboxMessage, type OutboxStatus } from "@prisma/client";
import type { Db } from "../db/client.js";
import type { NewOutboxMessage, OutboxMessageView } from "./notification.types.js";

/**
 * The PostgreSQL NOTIFY channel a transaction signals on after writing due messages. NOTIFY is
 * transactional: listeners hear it only when (and if) the transaction commits.
 */
export const OUTBOX_NOTIFY_CHANNEL = "chairside_outbox";

/** A claimed row: the message and the claim's token. */
export type ClaimedRow = Pick<
  OutboxMessage,
  "id" | "tenantId" | "kind" | "category" | "clientId" | "bookingId" | "channel" | "recipient" | "template" | "data" | "attempts" | "attemptToken" | "triedChannels" | "lastError"
> & { attemptToken: string };

/**
 * Writes messages; a key that exists already is left alone, except a cancelled row, which is
 * revived with the new data and time (a booking moved back to a time it had before). Signals
 * OUTBOX_NOTIFY_CHANNEL when something was written. Returns how many rows were written or revived.
 */
export async function writeMessages(db: Db, messages: readonly NewOutboxMessage[], now: Date): Promise<number> {
  if (messages.length === 0) return 0;
  const values = messages.map((m) => {
    const notBefore = m.notBefore ?? now;
    return Prisma.sql`(gen_random_uuid(), ${m.tenantId}::uuid, ${m.kind}, ${m.category}::"OutboxCategory", ${m.clientId ?? null}::uuid,
      ${m.bookingId ?? null}::uuid, ${m.channel ?? null}, ${m.recipient ?? null}, ${m.template ?? null}, ${JSON.stringify(m.data)}::jsonb,
      ${m.idempotencyKey}, 'pending'::"OutboxStatus", ${notBefore}::timestamptz, ${notBefore}::timestamptz, ${now}::timestamptz, ${now}::timestamptz)`;
  });
  const written = await db.$executeRaw`
    INSERT INTO "OutboxMessage" (id, "tenantId", kind, category, "clientId", "bookingId", channel, recipient, template, data,
      "idempotencyKey", status, "notBefore", "nextAttemptAt", "createdAt", "updatedAt")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("tenantId", "idempotencyKey") DO UPDATE SET
      status = 'pending', data = EXCLUDED.data, "notBefore" = EXCLUDED."notBefore", "nextAttemptAt" = EXCLUDED."nextAttemptAt",
      attempts = 0, "lastError" = NULL, channel = EXCLUDED.channel, recipient = EXCLUDED.recipient, "triedChannels" = '{}', "updatedAt" = EXCLUDED."updatedAt"
    WHERE "OutboxMessage".status = 'cancelled'`;
  if (written > 0) await db.$executeRaw`SELECT pg_notify(${OUTBOX_NOTIFY_CHANNEL}, '')`;
  return written;
}

/** Cancels pending rows of a salon matching `where` (a booking, a client, some kinds) with `reason`. Returns them. */
export async function cancelPending(
  db: Db,
  where: { tenantId: string; bookingId?: string; clientId?: string; kinds?: readonly string[] },
  reason: string,
  now: Date,
): Promise<{ id: string; kind: string }[]> {
  return db.outboxMessage.updateManyAndReturn({
    where: {
      tenantId: where.tenantId,
      status: "pending",
      ...(where.bookingId ? { bookingId: where.bookingId } : {}),
      ...(where.clientId ? { clientId: where.clientId } : {}),
      ...(where.kinds ? { kind: { in: [...where.kinds] } } : {}),
    },
    data: { status: "cancelled", lastError: reason, updatedAt: now },
    select: { id: true, kind: true },
  });
}

/**
 * Claims up to `limit` due rows: pending ones whose time has come, and rows left `sending` by a
 * worker whose lease expired (it stopped mid-send; see OutboxDelivery on what that means). Each
 * becomes `sending` with a lease until `now + leaseMs`, a fresh attempt token and attempts + 1,
 * committed before anything is sent. Concurrent workers skip each other's rows (SKIP LOCKED).
 */
export async function claimDue(db: Db, input: { now: Date; leaseMs: number; limit: number }): Promise<ClaimedRow[]> {
  const leaseUntil = new Date(input.now.getTime() + input.leaseMs);
  return db.$queryRaw<ClaimedRow[]>`
    WITH due AS (
      SELECT id FROM "OutboxMessage"
      WHERE (status = 'pending' AND "notBefore" <= ${input.now}::timestamptz AND "nextAttemptAt" <= ${input.now}::timestamptz)
         OR (status = 'sending' AND "leaseUntil" <= ${input.now}::timestamptz)
      ORDER BY "nextAttemptAt"
      LIMIT ${input.limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "OutboxMessage" AS o
    SET status = 'sending', "leaseUntil" = ${leaseUntil}::timestamptz, "attemptToken" = gen_random_uuid(),
        attempts = o.attempts + 1, "updatedAt" = ${input.now}::timestamptz
    FROM due WHERE o.id = due.id
    RETURNING o.id, o."tenantId", o.kind, o.category::text AS category, o."clientId", o."bookingId", o.channel, o.recipient,
      o.template, o.data, o.attempts, o."attemptToken"::text AS "attemptToken", coalesce(o."triedChannels", '{}') AS "triedChannels", o."lastError"`;
}

/**
 * Extends the leases of claimed rows still held by these tokens. Returns the ids renewed; a row
 * missing from it is no longer ours (re-claimed by another worker, or its outcome is recorded).
 */
export async function renewLeases(db: Db, claims: readonly { id: string; token: string }[], leaseUntil: Date): Promise<string[]> {
  if (claims.length === 0) return [];
  const values = claims.map((c) => Prisma.sql`(${c.id}::uuid, ${c.token}::uuid)`);
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "OutboxMessage" AS o SET "leaseUntil" = ${leaseUntil}::timestamptz
    FROM (VALUES ${Prisma.join(values)}) AS v(id, token)
    WHERE o.id = v.id AND o."attemptToken" = v.token AND o.status = 'sending'
    RETURNING o.id::text AS id`;
  return rows.map((r) => r.id);
}

/** Stores the chosen channel and recipient of claimed rows (still ours), before they are sent. */
export async function recordRecipients(db: Db, rows: readonly { id: string; token: string; channel: string; recipient: string }[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r) => Prisma.sql`(${r.id}::uuid, ${r.token}::uuid, ${r.channel}, ${r.recipient})`);
  await db.$executeRaw`
    UPDATE "OutboxMessage" AS o SET channel = v.channel, recipient = v.recipient
    FROM (VALUES ${Prisma.join(values)}) AS v(id, token, channel, recipient)
    WHERE o.id = v.id AND o."attemptToken" = v.token AND o.status = 'sending'`;
}

/** A send the provider accepted, to record. */
export interface AcceptedSend {
  id: string;
  token: string;
  providerMessageId: string;
  at: Date;
}

/**
 * Records sends the provider accepted, in one statement. Only the claim's holder moves `sending`
 * to `sent`; when a status report overtook us (already sent, delivered or read), only a missing
 * provider id is filled in. Returns the ids whose claim was no longer ours.
 */
export async function recordSent(db: Db, sends: readonly AcceptedSend[]): Promise<string[]> {
  if (sends.length === 0) return [];
  const values = sends.map((s) => Prisma.sql`(${s.id}::uuid, ${s.token}::uuid, ${s.providerMessageId}, ${s.at}::timestamptz)`);
  const moved = await db.$queryRaw<{ id: string }[]>`
    UPDATE "OutboxMessage" AS o
    SET status = 'sent', "providerMessageId" = v.pid, "sentAt" = v.at, "leaseUntil" = NULL, "attemptToken" = NULL, "updatedAt" = v.at,
        -- After a fallback, keep why the first channel could not take it.
        "lastError" = CASE WHEN cardinality(o."triedChannels") > 0 THEN o."lastError" ELSE NULL END
    FROM (VALUES ${Prisma.join(values)}) AS v(id, token, pid, at)
    WHERE o.id = v.id AND o."attemptToken" = v.token AND o.status = 'sending'
    RETURNING o.id::text AS id`;
  const done = new Set(moved.map((r) => r.id));
  const overtaken = sends.filter((s) => !done.has(s.id));
  for (const s of overtaken) {
    await db.outboxMessage.updateMany({
      where: { id: s.id, providerMessageId: null, status: { in: ["sent", "delivered", "read"] } },
      data: { providerMessageId: s.providerMessageId, sentAt: s.at },
    });
  }
  return overtaken.map((s) => s.id);
}

/**
 * Records a failed attempt of the claim's holder: back to pending at `retryAt`, or failed when
 * `retryAt` is null. `lastError` says why. Returns false when the claim was no longer ours.
 */
export async function recordFailure(db: Db, input: { id: string; token: string; error: string; retryAt: Date | null; now: Date }): Promise<boolean> {
  const moved = await db.outboxMessage.updateMany({
    where: { id: input.id, attemptToken: input.token, status: "sending" },
    data: {
      status: input.retryAt ? "pending" : "failed",
      ...(input.retryAt ? { nextAttemptAt: input.retryAt } : {}),
      lastError: input.error.slice(0, 1000),
      leaseUntil: null,
      attemptToken: null,
      updatedAt: input.now,
    },
  });
  return moved.count > 0;
}

/** Cancels a claimed row (the client opted out meanwhile, the booking was cancelled, ...). */
export async function cancelClaimed(db: Db, input: { id: string; token: string; reason: string; now: Date }): Promise<void> {
  await db.outboxMessage.updateMany({
    where: { id: input.id, attemptToken: input.token, status: "sending" },
    data: { status: "cancelled", lastError: input.reason, leaseUntil: null, attemptToken: null, updatedAt: input.now },
  });
}

/** From which statuses each reported status may be reached: never backwards; read may skip delivered. */
const REACHABLE_FROM: Record<"sent" | "delivered" | "read" | "failed", OutboxStatus[]> = {
  sent: ["pending", "sending"],
  delivered: ["pending", "sending", "sent"],
  read: ["pending", "sending", "sent", "delivered"],
  failed: ["sending", "sent", "delivered"],
};

/**
 * Applies a provider's status report to the row it names: by our outbox id when the provider
 * echoed it, else by (channel, provider message id). A report that would move the row backwards
 * (delivered after read, sent after delivered) changes nothing. `tenantId`, when given, limits it
 * to that salon's rows (the salon whose webhook reported it). Returns the row after the change,
 * or null when no row changed.
 */
export async function applyStatus(
  db: Db,
  input: { tenantId?: string; channel: string; providerMessageId: string; status: "sent" | "delivered" | "read" | "failed"; error?: string; outboxId?: string; at: Date },
): Promise<OutboxMessage | null> {
  const target: Prisma.OutboxMessageWhereInput = {
    ...(input.tenantId ? { tenantId: input.tenantId } : {}),
    ...(input.outboxId
      ? { id: input.outboxId, OR: [{ channel: input.channel }, { channel: null }] }
      : { channel: input.channel, providerMessageId: input.providerMessageId }),
  };
  const stamp =
    input.status === "sent"
      ? { sentAt: input.at, lastError: null }
      : input.status === "delivered"
        ? { deliveredAt: input.at, lastError: null }
        : input.status === "read"
          ? { readAt: input.at, lastError: null }
          : { lastError: (input.error ?? "the provider reported a failure").slice(0, 1000) };
  const [row] = await db.outboxMessage.updateManyAndReturn({
    where: { ...target, status: { in: REACHABLE_FROM[input.status] } },
    data: { status: input.status, ...stamp, leaseUntil: null, attemptToken: null, updatedAt: input.at },
  });
  if (row && !row.providerMessageId) {
    return db.outboxMessage.update({ where: { id: row.id }, data: { providerMessageId: input.providerMessageId } });
  }
  return row ?? null;
}

/**
 * One page of a salon's outbox for the admin: newest first (ties broken by id, so pages never
 * overlap or skip rows written in the same instant), each with its client's name, and the number
 * of matching rows. `offset` and `limit` are rows.
 */
export async function listOutboxPage(
  db: Db,
  query: { tenantId: string; status?: OutboxStatus | undefined; channel?: string | undefined; offset: number; limit: number },
): Promise<{ rows: (OutboxMessage & { client: { name: string } | null })[]; total: number }> {
  const where: Prisma.OutboxMessageWhereInput = {
    tenantId: query.tenantId,
    ...(query.status ? { status: query.status } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
  };
  const [rows, total] = await Promise.all([
    db.outboxMessage.findMany({
      where,
      include: { client: { select: { name: true } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: query.offset,
      take: query.limit,
    }),
    db.outboxMessage.count({ where }),
  ]);
  return { rows, total };
}

/** Maps a row to its view. */
export function toOutboxView(row: OutboxMessage): OutboxMessageView {
  return {
    id: row.id,
    tenantId: row.tenantId,
    kind: row.kind,
    category: row.category,
    clientId: row.clientId,
    bookingId: row.bookingId,
    channel: row.channel,
    recipient: row.recipient,
    template: row.template,
    data: (row.data ?? {}) as Record<string, unknown>,
    idempotencyKey: row.idempotencyKey,
    status: row.status,
    notBefore: row.notBefore,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    providerMessageId: row.providerMessageId,
    sentAt: row.sentAt,
    deliveredAt: row.deliveredAt,
    readAt: row.readAt,
    triedChannels: row.triedChannels ?? [],
    createdAt: row.createdAt,
  };
}
