/**
 * When a channel cannot take a client's message for good (WhatsApp outside the 24-hour window
 * without a template, a 131047 status report, a blocked bot, retries used up), the message falls
 * back to the client's next messenger: the row goes back to pending with its channel cleared and
 * the failed channel added to `triedChannels`, so the delivery worker chooses again among the
 * channels not tried yet (chooseChannel). With no other messenger the row is failed with a reason
 * a person can read. Never silent.
 */
import { Prisma, type OutboxMessage } from "@prisma/client";
import type { Db } from "../db/client.js";
import { OUTBOX_NOTIFY_CHANNEL, applyStatus } from "./outbox.repository.js";

/** How reasons name a channel. */
const LABEL: Record<string, string> = { whatsapp: "WhatsApp", telegram: "Telegram", viber: "Viber", webchat: "web chat" };

/** "WhatsApp" for "whatsapp"; unknown names as they are. */
export function channelLabel(channel: string): string {
  return LABEL[channel] ?? channel;
}

/**
 * Provider error codes explained (WhatsApp Cloud API:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
 */
const EXPLAINED: Record<string, Record<string, string>> = {
  whatsapp: {
    "131047": "more than 24 hours since the client's last message",
    "131026": "WhatsApp could not deliver it (the number may not use WhatsApp, or has an old app)",
    "131049": "Meta did not deliver it, to keep engagement healthy (marketing limits)",
    "131050": "the client stopped marketing messages from this business",
    "131051": "the message type is not supported",
  },
};

/**
 * A failed status report as a sentence: "WhatsApp 131047: more than 24 hours since the client's
 * last message, and no template is set for reminder_24h". The template note only for 131047 when
 * the salon has none for the kind.
 */
export function describeStatusFailure(channel: string, kind: string, error: { code: string; message: string } | undefined, hasTemplate: boolean): string {
  if (!error) return `${channelLabel(channel)}: the provider reported a failure`;
  const text = EXPLAINED[channel]?.[error.code] ?? (error.message || "the provider reported a failure");
  const note = channel === "whatsapp" && error.code === "131047" && !hasTemplate ? `, and no template is set for ${kind}` : "";
  return `${channelLabel(channel)} ${error.code}: ${text}${note}`;
}

/** The end of the reason when nothing is left to try. */
export function noOtherMessenger(tried: readonly string[]): string {
  return tried.length > 0 ? `the client has no other messenger (tried ${tried.map(channelLabel).join(", ")})` : "the client has no other messenger";
}

/** The channels of `identities` not in `tried`, for deciding whether a fallback exists. */
export function untriedChannels(identities: readonly { channel: string }[], tried: readonly string[]): string[] {
  return [...new Set(identities.map((i) => i.channel))].filter((c) => !tried.includes(c));
}

/**
 * Sends a row to the client's next channel: pending now, channel, recipient and provider id
 * cleared, attempts from zero, `channel` added to `triedChannels`, `reason` in lastError; signals
 * OUTBOX_NOTIFY_CHANNEL. `token` (a claim's) limits it to the claim's holder; without one, only a
 * row that is `failed` on `channel` moves (the status path, after applyStatus). Returns whether it moved.
 */
export async function rerouteRow(db: Db, input: { id: string; token?: string; channel: string; reason: string; now: Date }): Promise<boolean> {
  const guard = input.token
    ? Prisma.sql`"attemptToken" = ${input.token}::uuid AND status = 'sending'`
    : Prisma.sql`status = 'failed' AND channel = ${input.channel}`;
  const moved = await db.$executeRaw`
    UPDATE "OutboxMessage"
    SET status = 'pending', channel = NULL, recipient = NULL, "providerMessageId" = NULL, attempts = 0,
        "triedChannels" = array_append(coalesce("triedChannels", '{}'), ${input.channel}::text),
        "lastError" = ${input.reason.slice(0, 1000)}, "nextAttemptAt" = ${input.now}::timestamptz,
        "leaseUntil" = NULL, "attemptToken" = NULL, "sentAt" = NULL, "deliveredAt" = NULL, "updatedAt" = ${input.now}::timestamptz
    WHERE id = ${input.id}::uuid AND ${guard}`;
  if (moved > 0) await db.$executeRaw`SELECT pg_notify(${OUTBOX_NOTIFY_CHANNEL}, '')`;
  return moved > 0;
}

/** A provider's status report, as applyStatusWithFallback takes it. */
export interface StatusReport {
  tenantId?: string | undefined;
  channel: string;
  providerMessageId: string;
  status: "sent" | "delivered" | "read" | "failed";
  error?: { code: string; message: string } | undefined;
  outboxId?: string | undefined;
  at: Date;
}

/**
 * Applies one status report on `db` (run it in a transaction: the failure and the fallback commit
 * together). A "failed" report of a client's message then either reroutes the row to the client's
 * next untried messenger, or leaves it failed with the reason and "the client has no other
 * messenger". Returns the row after the change, or null when nothing changed.
 */
export async function applyStatusWithFallback(db: Db, report: StatusReport, now: Date): Promise<OutboxMessage | null> {
  const failure = report.status === "failed";
  const row = await applyStatus(db, {
    channel: report.channel,
    providerMessageId: report.providerMessageId,
    status: report.status,
    ...(report.tenantId ? { tenantId: report.tenantId } : {}),
    ...(report.outboxId ? { outboxId: report.outboxId } : {}),
    ...(failure ? { error: report.error ? `${report.error.code}: ${report.error.message}` : "the provider reported a failure" } : {}),
    at: report.at,
  });
  if (!row || !failure || row.status !== "failed") return row;
  const template = row.clientId
    ? await db.messageTemplate.findUnique({ where: { tenantId_channel_kind: { tenantId: row.tenantId, channel: report.channel, kind: row.kind } }, select: { kind: true } })
    : null;
  const reason = describeStatusFailure(report.channel, row.kind, report.error, template !== null);
  if (row.clientId) {
    const identities = await db.clientIdentity.findMany({ where: { tenantId: row.tenantId, clientId: row.clientId }, select: { channel: true } });
    const tried = [...(row.triedChannels ?? []), report.channel];
    if (untriedChannels(identities, tried).length > 0 && (await rerouteRow(db, { id: row.id, channel: report.channel, reason, now }))) {
      return db.outboxMessage.findUnique({ where: { id: row.id } });
    }
    return db.outboxMessage.update({ where: { id: row.id }, data: { lastError: `${reason}; ${noOtherMessenger(row.triedChannels ?? [])}`.slice(0, 1000) } });
  }
  return db.outboxMessage.update({ where: { id: row.id }, data: { lastError: reason.slice(0, 1000) } });
}
