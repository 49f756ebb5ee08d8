/**
 * The delivery worker's core: claim due outbox rows, decide for each whether it still goes and
 * where, send through the salon's `Sender` for the channel, record the outcome.
 *
 * Exactly once, as far as it can be had:
 * 1. The claim (pending → sending, a lease, a fresh attempt token, attempts + 1) commits BEFORE
 *    the provider is called, and only the token's holder can record the outcome.
 * 2. The channel and recipient are stored with the claim's token before sending, so a retry goes
 *    to the same place.
 * 3. While a batch is under way its worker renews the leases of its unfinished rows (every
 *    leaseMs / 3), so no second worker claims a row whose send may still happen or succeed; only a
 *    dead worker's leases expire. Before each send the worker checks that its claim still holds
 *    (re-asserting it in the database when the last renewal is getting old) and skips the row
 *    otherwise. Senders get an AbortSignal (sendTimeoutMs) to give up on a hung provider.
 * 4. An accepted send is committed at once: one UPDATE for all sends that completed while the
 *    previous commit ran (group commit; no waiting added), so the gap between the provider's
 *    answer and our commit is at most about two statements long.
 * 5. A row still `sending` after its lease (its worker died) is claimed again only if no status
 *    report moved it meanwhile: senders put our outbox id in the provider's echo field where one
 *    exists (WhatsApp `biz_opaque_callback_data`), and `applyDeliveryStatus` then marks it sent even
 *    before we stored the provider's id. The lease (default 2 min) leaves time for that report.
 *
 * The remaining window: the provider accepted the message and the worker died before committing
 * `sent` (milliseconds) AND no report carrying our id arrives within the lease. Telegram has
 * no delivery reports and Viber's do not echo our id, so there such a crash leads to one repeat.
 * A crash anywhere else (before the provider answered, or after our commit) never repeats a message.
 */
import type { PrismaClient } from "@prisma/client";
import type { Clock } from "../clock.js";
import { chooseChannel } from "./channel-choice.js";
import { channelLabel, noOtherMessenger, rerouteRow, untriedChannels } from "./fallback.js";
import {
  CLIENT_KINDS,
  DeliveryError,
  OPT_OUT_KINDS,
  type ClientKind,
  type OutboundMessage,
  type Sender,
  type SenderDirectory,
} from "./notification.types.js";
import { Claims, forEachLimited, GroupCommit, memo } from "./delivery-batch.js";
import { type AcceptedSend, cancelClaimed, claimDue, recordFailure, recordRecipients, recordSent, type ClaimedRow } from "./outbox.repository.js";
import type { NotificationSettings } from "./settings.js";
import { templateKey, templatesFor, TEMPLATE_CHANNELS, type MessageTemplateView } from "./templates.js";

/** How the worker behaves; every field has a default. */
export interface DeliveryOptions {
  /** Rows claimed at once. Default 100. */
  batchSize: number;
  /** Sends in flight at once. Default 16. */
  concurrency: number;
  /** How long a claim holds without renewal, ms: the wait before a dead worker's rows are retried; it should exceed the delay of the providers' status reports. Default 120 000. */
  leaseMs: number;
  /** A send is aborted after this long, ms. Default 30 000. */
  sendTimeoutMs: number;
  /** Backoff after the first failure, ms; doubles per attempt (30 s, 1 min, 2 min, ...). Default 30 000. */
  backoffBaseMs: number;
  /** Attempts before a row fails for good. Default 6. */
  maxAttempts: number;
  /** Random spread of each backoff, 0..1 (0.2 = ±20 %). Default 0.2. */
  jitter: number;
  /** Random numbers in [0, 1) for the jitter; tests pass a fixed one. */
  random: () => number;
}

/** The defaults of DeliveryOptions. */
export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  batchSize: 100,
  concurrency: 16,
  leaseMs: 120_000,
  sendTimeoutMs: 30_000,
  backoffBaseMs: 30_000,
  maxAttempts: 6,
  jitter: 0.2,
  random: Math.random,
};

/** What one batch did. `claimed` 0 means nothing was due. */
export interface DeliveryReport {
  claimed: number;
  sent: number;
  /** Failed this time, will be tried again. */
  retrying: number;
  failed: number;
  cancelled: number;
  /** Not sent because the claim lapsed before its turn (another worker has the row now). */
  lost: number;
  /** Could not go on their channel for good; back to pending for the client's next messenger. */
  rerouted: number;
}

/** The delay before attempt `attempts + 1`, ms: base × 2^(attempts − 1) with jitter, at least `retryAfterMs`. */
export function backoffMs(attempts: number, options: Pick<DeliveryOptions, "backoffBaseMs" | "jitter" | "random">, retryAfterMs = 0): number {
  const exponential = options.backoffBaseMs * 2 ** Math.max(0, attempts - 1);
  const spread = 1 - options.jitter + 2 * options.jitter * options.random();
  return Math.max(Math.round(exponential * spread), retryAfterMs);
}

const isClientKind = (kind: string): kind is ClientKind => (CLIENT_KINDS as readonly string[]).includes(kind);
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** What the batch knows about the clients and bookings its rows are about. */
interface BatchFacts {
  settings: Map<string, NotificationSettings>;
  clients: Map<
    string,
    {
      marketingConsent: boolean;
      remindersOptOut: boolean;
      preferredChannel: string | null;
      identities: { channel: string; externalId: string; createdAt: Date; lastInboundAt: Date | null }[];
    }
  >;
  /** The salons' templates (templateKey → template). */
  templates: Map<string, MessageTemplateView>;
  bookings: Map<string, { status: string; startsAt: Date; channel: string }>;
  /** Clients with an appointment still ahead (re-activation is moot for them). */
  booked: Set<string>;
}

/** Claims and sends due outbox rows; see the file's comment for the delivery guarantees. */
export class OutboxDelivery {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly settingsOf: (tenantIds: string[]) => Promise<Map<string, NotificationSettings>>,
  ) {}

  /** Claims one batch of due rows and handles each; resolves when all of them have an outcome. */
  async deliverBatch(senders: SenderDirectory, options: Partial<DeliveryOptions> = {}): Promise<DeliveryReport> {
    const o = { ...DEFAULT_DELIVERY_OPTIONS, ...options };
    const report: DeliveryReport = { claimed: 0, sent: 0, retrying: 0, failed: 0, cancelled: 0, lost: 0, rerouted: 0 };
    const rows = await claimDue(this.db, { now: this.clock.now(), leaseMs: o.leaseMs, limit: o.batchSize });
    report.claimed = rows.length;
    if (rows.length === 0) return report;
    const facts = await this.loadFacts(rows);
    const channelsOf = memo((tenantId: string) => Promise.resolve(senders.channelsOf(tenantId)));
    const senderFor = memo((key: string) => {
      const [tenantId, channel] = key.split("\u0000") as [string, string];
      return Promise.resolve(senders.get(tenantId, channel));
    });

    const ready: (ClaimedRow & { channel: string; recipient: string })[] = [];
    const recipients: { id: string; token: string; channel: string; recipient: string }[] = [];
    for (const row of rows) {
      const reason = this.suppressed(row, facts);
      if (reason) {
        await cancelClaimed(this.db, { id: row.id, token: row.attemptToken, reason, now: this.clock.now() });
        report.cancelled++;
        continue;
      }
      if (row.attempts > o.maxAttempts) {
        // No fallback: the last attempt may have been delivered.
        await this.fail(row, `gave up after ${o.maxAttempts} attempts (the last one stopped while sending; its outcome is unknown)`, null, o, report, null);
        continue;
      }
      if (row.channel && row.recipient) {
        ready.push({ ...row, channel: row.channel, recipient: row.recipient });
        continue;
      }
      const client = row.clientId ? facts.clients.get(row.clientId) : undefined;
      const tried = row.triedChannels ?? [];
      const choice = chooseChannel({
        bookedFrom: row.bookingId ? (facts.bookings.get(row.bookingId)?.channel ?? null) : null,
        preferred: client?.preferredChannel ?? null,
        identities: (client?.identities ?? []).filter((i) => !tried.includes(i.channel)),
        available: await channelsOf(row.tenantId),
      });
      if (!choice.ok) {
        // A fallback with nowhere left to go fails at once, keeping why the first channel could not take it.
        if (tried.length > 0) {
          const rest = untriedChannels(client?.identities ?? [], tried).length === 0 ? noOtherMessenger(tried) : choice.reason;
          await this.fail(row, row.lastError ? `${row.lastError}; ${rest}` : rest, null, o, report, null);
        } else await this.fail(row, choice.reason, choice.permanent ? null : new DeliveryError(choice.reason, false), o, report, null);
        continue;
      }
      recipients.push({ id: row.id, token: row.attemptToken, channel: choice.channel, recipient: choice.recipient });
      ready.push({ ...row, channel: choice.channel, recipient: choice.recipient });
    }
    await recordRecipients(this.db, recipients);

    const commits = new GroupCommit<AcceptedSend>(async (sends) => {
      await recordSent(this.db, sends);
    });
    const claims = new Claims(this.db, this.clock, o.leaseMs, ready);
    const renewal = setInterval(() => void claims.renewAll(), Math.max(50, Math.floor(o.leaseMs / 3)));
    try {
      await forEachLimited(ready, o.concurrency, async (row) => {
        try {
          // Never send a row whose claim may have lapsed: another worker may own it by now.
          if (await claims.stillOurs(row)) await this.sendOne(row, senderFor, facts, o, report, commits);
          else report.lost++;
        } finally {
          claims.finished(row.id);
        }
      });
    } finally {
      clearInterval(renewal);
    }
    return report;
  }

  /** Sends one claimed row and records the outcome; never throws (a failing lookup is a temporary failure). */
  private async sendOne(
    row: ClaimedRow & { channel: string; recipient: string },
    senderFor: (key: string) => Promise<Sender | undefined>,
    facts: BatchFacts,
    o: DeliveryOptions,
    report: DeliveryReport,
    commits: GroupCommit<AcceptedSend>,
  ): Promise<void> {
    let providerMessageId: string;
    try {
      const sender = await senderFor(`${row.tenantId}\u0000${row.channel}`);
      if (!sender) throw new DeliveryError(`no ${row.channel} sender is set up for this salon`, false);
      ({ providerMessageId } = await sender.send(this.outbound(row, facts), { signal: AbortSignal.timeout(o.sendTimeoutMs) }));
    } catch (e) {
      await this.fail(row, `${channelLabel(row.channel)}: ${errorText(e)}`, e, o, report, facts);
      return;
    }
    await commits.add({ id: row.id, token: row.attemptToken, providerMessageId, at: this.clock.now() });
    report.sent++;
  }

  /** The message a sender gets: the row, plus the salon's own texts for its kind. */
  private outbound(row: ClaimedRow & { channel: string; recipient: string }, facts: BatchFacts): OutboundMessage {
    const identity = row.clientId ? facts.clients.get(row.clientId)?.identities.find((i) => i.channel === row.channel && i.externalId === row.recipient) : undefined;
    const textOverrides: Record<string, string> = {};
    for (const [language, texts] of Object.entries(facts.settings.get(row.tenantId)?.texts ?? {})) {
      const text = isClientKind(row.kind) ? texts[row.kind] : undefined;
      if (text) textOverrides[language] = text;
    }
    return {
      outboxId: row.id,
      tenantId: row.tenantId,
      kind: row.kind,
      category: row.category,
      channel: row.channel,
      recipient: row.recipient,
      template: row.template,
      data: (row.data ?? {}) as Record<string, unknown>,
      textOverrides,
      attempt: row.attempts,
      lastInboundAt: identity?.lastInboundAt ?? null,
      channelTemplate: facts.templates.get(templateKey(row.tenantId, row.channel, row.kind)) ?? null,
    };
  }

  /**
   * Records a failure: retried with backoff when `error` is temporary (anything but a permanent
   * DeliveryError) and attempts remain, else failed for good. `error` null = permanent. With
   * `facts` (a send on the row's channel failed), a failure for good falls back instead when the
   * client has an identity on a channel not tried yet (see fallback.ts); without any, the reason
   * ends in "the client has no other messenger".
   */
  private async fail(row: ClaimedRow, reason: string, error: unknown, o: DeliveryOptions, report: DeliveryReport, facts: BatchFacts | null): Promise<void> {
    const now = this.clock.now();
    const permanent = error === null || (error instanceof DeliveryError && error.permanent);
    const retry = !permanent && row.attempts < o.maxAttempts;
    const retryAfter = error instanceof DeliveryError ? error.retryAfterMs : undefined;
    const retryAt = retry ? new Date(now.getTime() + backoffMs(row.attempts, o, retryAfter)) : null;
    let lastError = retry || permanent || row.attempts <= 1 ? reason : `${reason} (after ${row.attempts} attempts)`;
    const client = facts && row.clientId && row.channel ? facts.clients.get(row.clientId) : undefined;
    if (!retry && client && row.channel) {
      const tried = [...(row.triedChannels ?? []), row.channel];
      if (untriedChannels(client.identities, tried).length > 0) {
        if (await rerouteRow(this.db, { id: row.id, token: row.attemptToken, channel: row.channel, reason: lastError, now })) report.rerouted++;
        return;
      }
      lastError = `${lastError}; ${noOtherMessenger(row.triedChannels ?? [])}`;
    }
    await recordFailure(this.db, { id: row.id, token: row.attemptToken, error: lastError, retryAt, now });
    if (retry) report.retrying++;
    else report.failed++;
  }

  /** Why a claimed row must not go (any more), or null when it should. */
  private suppressed(row: ClaimedRow, facts: BatchFacts): string | null {
    if (!isClientKind(row.kind)) return null;
    const settings = facts.settings.get(row.tenantId);
    if (settings && !settings.enabled[row.kind]) return "switched off in the salon's settings";
    const client = row.clientId ? facts.clients.get(row.clientId) : undefined;
    if (!client) return "the client no longer exists";
    if (OPT_OUT_KINDS.includes(row.kind) && client.remindersOptOut) return "the client opted out (STOP)";
    if (row.category === "marketing" && !client.marketingConsent) return "the client has not consented to marketing messages";
    if (row.kind === "reactivation" && row.clientId && facts.booked.has(row.clientId)) return "the client has booked since";
    if (row.kind === "reminder_24h" || row.kind === "reminder_1h") {
      const booking = row.bookingId ? facts.bookings.get(row.bookingId) : undefined;
      if (!booking || booking.status !== "confirmed") return `the booking is ${booking?.status ?? "gone"}`;
      if (booking.startsAt <= this.clock.now()) return "the appointment has started";
    }
    return null;
  }

  private async loadFacts(rows: ClaimedRow[]): Promise<BatchFacts> {
    const ids = (pick: (r: ClaimedRow) => string | null) => [...new Set(rows.map(pick).filter((x): x is string => x !== null))];
    const clientIds = ids((r) => r.clientId);
    const bookingIds = ids((r) => r.bookingId);
    const reactivated = ids((r) => (r.kind === "reactivation" ? r.clientId : null));
    const now = this.clock.now();
    const [settings, clients, bookings, upcoming, templates] = await Promise.all([
      this.settingsOf(ids((r) => r.tenantId)),
      clientIds.length
        ? this.db.client.findMany({
            where: { id: { in: clientIds } },
            select: {
              id: true,
              marketingConsent: true,
              remindersOptOut: true,
              preferredChannel: true,
              identities: { select: { channel: true, externalId: true, createdAt: true, lastInboundAt: true } },
            },
          })
        : [],
      bookingIds.length
        ? this.db.booking.findMany({ where: { id: { in: bookingIds } }, select: { id: true, status: true, startsAt: true, channel: true } })
        : [],
      reactivated.length
        ? this.db.booking.findMany({
            where: { clientId: { in: reactivated }, status: { in: ["confirmed", "arrived"] }, endsAt: { gt: now } },
            select: { clientId: true },
          })
        : [],
      templatesFor(this.db, clientIds.length ? ids((r) => r.tenantId) : [], TEMPLATE_CHANNELS),
    ]);
    return {
      settings,
      clients: new Map(clients.map(({ id, ...c }) => [id, c])),
      bookings: new Map(bookings.map(({ id, ...b }) => [id, b])),
      booked: new Set(upcoming.map((b) => b.clientId).filter((x): x is string => x !== null)),
      templates,
    };
  }
}
