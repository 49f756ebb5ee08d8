import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { BookingService } from "../booking/booking.service.js";
import type { BookingChange } from "../booking/booking.types.js";
import type { Clock } from "../clock.js";
import type { Db } from "../db/client.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import { handleBookingChange } from "./booking-hook.js";
import { OutboxDelivery, type DeliveryOptions, type DeliveryReport } from "./delivery.js";
import type { ClientKind, DeliveryStatusInput, NewOutboxMessage, OutboxMessageView, OutboxPage, OutboxPageQuery, SenderDirectory } from "./notification.types.js";
import { NOTIFICATION_CHANNELS, OPT_OUT_KINDS, OUTBOX_STATUSES } from "./notification.types.js";
import { applyStatusWithFallback } from "./fallback.js";
import { cancelPending, listOutboxPage, OUTBOX_NOTIFY_CHANNEL, toOutboxView, writeMessages } from "./outbox.repository.js";
import { markNoShows, planPeriodic, type PeriodicReport } from "./periodic.js";
import {
  mergeSettings,
  notificationSettingsSchema,
  readSettings,
  type NotificationSettings,
  type NotificationSettingsPatch,
} from "./settings.js";
import { deleteTemplate, listTemplates, saveTemplate, type MessageTemplateInput, type MessageTemplateView, type TemplateChannel } from "./templates.js";

const identitySchema = z.object({ tenantId: z.uuid(), channel: z.string().min(1).max(32), externalId: z.string().min(1).max(128) });
const bookingClientSchema = z.object({ tenantId: z.uuid(), bookingId: z.uuid(), clientId: z.uuid() });
const newMessageSchema = z.object({
  tenantId: z.uuid(),
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  category: z.enum(["utility", "marketing", "owner"]),
  clientId: z.uuid().nullish(),
  bookingId: z.uuid().nullish(),
  channel: z.string().min(1).max(32).nullish(),
  recipient: z.string().min(1).max(128).nullish(),
  template: z.string().min(1).max(512).nullish(),
  data: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string().min(1).max(300),
  notBefore: z.date().optional(),
});
const statusSchema = z.object({
  channel: z.string().min(1).max(32),
  providerMessageId: z.string().min(1).max(256),
  status: z.enum(["sent", "delivered", "read", "failed"]),
  error: z.object({ code: z.string().max(64), message: z.string().max(1000) }).optional(),
  outboxId: z.uuid().optional(),
  at: z.date().optional(),
});
const listSchema = z.object({
  tenantId: z.uuid(),
  status: z.enum(["pending", "sending", "sent", "delivered", "read", "failed", "cancelled"]).optional(),
  channel: z.string().max(32).optional(),
  limit: z.number().int().min(1).max(500).default(100),
  /** Rows created before this instant (paging, newest first). */
  before: z.date().optional(),
});

const pageSchema = z.object({
  tenantId: z.uuid(),
  status: z.enum(OUTBOX_STATUSES).optional(),
  channel: z.enum(NOTIFICATION_CHANNELS).optional(),
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

/**
 * The outbox and the reminder sequence. Booking changes write their messages through
 * `onBookingChange` (registered as a BookingService hook, so in the change's transaction); the job
 * worker calls `deliverDue`, `planPeriodic` and `markNoShows`; channels report statuses through
 * `applyDeliveryStatus`; the conversation calls `optOut` (STOP) and `recordClientConfirmation`.
 */
export class NotificationService {
  private readonly delivery: OutboxDelivery;

  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly bookings: BookingService,
  ) {
    this.delivery = new OutboxDelivery(db, clock, (ids) => this.settingsOf(ids));
  }

  /** The BookingService hook: writes and cancels the outbox rows of a change, in its transaction. */
  readonly onBookingChange = (tx: Prisma.TransactionClient, change: BookingChange): Promise<void> =>
    handleBookingChange(tx, change, this.clock.now());

  /** A salon's settings, defaults filled in. */
  async getSettings(tenantId: string): Promise<NotificationSettings> {
    const id = parseInput(z.uuid(), tenantId, "salon id");
    return (await this.settingsOf([id])).get(id)!;
  }

  /**
   * Changes some of a salon's settings (nested objects are merged). Throws `invalid_input` naming
   * each bad field (e.g. `quietHours.startMinute`), `not_found` for an unknown salon.
   */
  async updateSettings(tenantId: string, patch: NotificationSettingsPatch): Promise<NotificationSettings> {
    const id = parseInput(z.uuid(), tenantId, "salon id");
    if (!(await this.db.tenant.findUnique({ where: { id }, select: { id: true } }))) throw new DomainError("not_found", "Salon was not found");
    const next = parseInput(notificationSettingsSchema, mergeSettings(await this.getSettings(id), patch), "notification settings");
    const settings = next as unknown as Prisma.InputJsonObject;
    await this.db.notificationSettings.upsert({ where: { tenantId: id }, create: { tenantId: id, settings }, update: { settings } });
    return next;
  }

  /**
   * Writes messages (owner alerts, messages of other modules), with `tx` inside the caller's
   * transaction. Idempotent by key. Throws `invalid_input`. Returns how many were written.
   */
  async enqueue(messages: readonly NewOutboxMessage[], tx?: Prisma.TransactionClient): Promise<number> {
    const parsed = messages.map((m) => parseInput(newMessageSchema, m, "outbox message") as NewOutboxMessage);
    return writeMessages(tx ?? this.db, parsed, this.clock.now());
  }

  /** Claims and sends one batch of due messages (see OutboxDelivery). `claimed` 0: nothing was due. */
  deliverDue(senders: SenderDirectory, options?: Partial<DeliveryOptions>): Promise<DeliveryReport> {
    return this.delivery.deliverBatch(senders, options);
  }

  /**
   * Applies a provider's delivery report: sent → delivered → read, never backwards ("read" may
   * come without "delivered"). "failed" (e.g. WhatsApp 131047, outside the 24-hour window) falls
   * back in the same transaction: the row goes to the client's next untried messenger, or stays
   * failed with a readable reason ("WhatsApp 131047: more than 24 hours since the client's last
   * message, and no template is set for reminder_24h; the client has no other messenger").
   * Matches by `outboxId` when the provider echoed it, else by (channel, providerMessageId);
   * `tenantId` limits it to one salon. Idempotent. Pass `tx` to apply it inside the caller's
   * transaction (the inbox recording the webhook). Returns the row after the change, or null when
   * nothing changed (unknown message, an old or repeated report). Throws `invalid_input`.
   */
  async applyDeliveryStatus(input: DeliveryStatusInput & { tenantId?: string | undefined }, tx?: Prisma.TransactionClient): Promise<OutboxMessageView | null> {
    const req = parseInput(statusSchema.extend({ tenantId: z.uuid().optional() }), input, "delivery status");
    const report = { ...req, at: req.at ?? this.clock.now() };
    const row = tx
      ? await applyStatusWithFallback(tx, report, this.clock.now())
      : await this.db.$transaction((t) => applyStatusWithFallback(t, report, this.clock.now()));
    return row ? toOutboxView(row) : null;
  }

  /**
   * The hook for InboxStore.record: applies the status reports of one webhook delivery (one salon,
   * one channel) in the inbox's transaction, so a report is stored and applied together.
   */
  readonly onStatusReports = async (
    tx: Prisma.TransactionClient,
    delivery: { tenantId: string; channel: string; statuses: readonly Omit<DeliveryStatusInput, "channel">[] },
  ): Promise<void> => {
    for (const s of delivery.statuses) await this.applyDeliveryStatus({ ...s, channel: delivery.channel, tenantId: delivery.tenantId }, tx);
  };

  /**
   * The salon's message templates (the admin's settings page), by channel, then in the order of
   * CLIENT_KINDS. A kind without a row has no template: outside WhatsApp's 24-hour window its
   * messages fall back to the client's other messenger. Throws `invalid_input` (a bad salon id).
   */
  listTemplates(tenantId: string): Promise<MessageTemplateView[]> {
    return listTemplates(this.db, tenantId);
  }

  /**
   * Creates or replaces the salon's template for `input.kind` on `input.channel` (default
   * "whatsapp"): its name and language at Meta, its body parameters in order and its quick-reply
   * buttons. Throws `invalid_input` with `details.issues` naming each bad field (kind, name,
   * language, parameters.N, quickReplies.N) and writes nothing; `not_found` for an unknown salon.
   */
  saveTemplate(tenantId: string, input: MessageTemplateInput): Promise<MessageTemplateView> {
    return saveTemplate(this.db, tenantId, input);
  }

  /** Removes the salon's template for `kind` (on `channel`, default "whatsapp"); true when there was one. Throws `invalid_input`. */
  deleteTemplate(tenantId: string, kind: ClientKind, channel: TemplateChannel = "whatsapp"): Promise<boolean> {
    return deleteTemplate(this.db, tenantId, kind, channel);
  }

  /** Plans today's birthday greetings and re-activation nudges for every salon (or one). Safe to run often. */
  planPeriodic(tenantId?: string): Promise<PeriodicReport> {
    return planPeriodic(this.db, this.clock, (ids) => this.settingsOf(ids), tenantId);
  }

  /** Marks overdue confirmed bookings no-show (actor "system"); returns their ids. */
  markNoShows(): Promise<string[]> {
    return markNoShows(this.db, this.clock, this.bookings, (ids) => this.settingsOf(ids));
  }

  /**
   * The client behind a messenger identity sent STOP: no marketing consent, no reminders, no
   * thank-yous (notices of changes staff make still go), and such pending messages are cancelled.
   * Returns the client's id, or null when the identity belongs to no client (nothing to do).
   */
  async optOut(identity: { tenantId: string; channel: string; externalId: string }): Promise<{ clientId: string | null }> {
    const ref = parseInput(identitySchema, identity, "identity");
    const found = await this.db.clientIdentity.findUnique({
      where: { tenantId_channel_externalId: ref },
      select: { client: { select: { id: true, mergedIntoId: true } } },
    });
    if (!found) return { clientId: null };
    const clientId = found.client.mergedIntoId ?? found.client.id;
    const now = this.clock.now();
    await this.db.$transaction(async (tx) => {
      await tx.client.updateMany({ where: { tenantId: ref.tenantId, id: { in: [found.client.id, clientId] } }, data: { marketingConsent: false, remindersOptOut: true } });
      await cancelPending(tx, { tenantId: ref.tenantId, clientId, kinds: OPT_OUT_KINDS }, "the client opted out (STOP)", now);
    });
    return { clientId };
  }

  /**
   * Records that the client confirmed they will come (the 1 h reminder's Confirm button): a
   * BookingEvent "client_confirmed", once. Throws `not_found` unless the booking is the client's.
   */
  async recordClientConfirmation(input: { tenantId: string; bookingId: string; clientId: string }): Promise<void> {
    const req = parseInput(bookingClientSchema, input, "confirmation");
    const booking = await this.db.booking.findFirst({ where: { id: req.bookingId, tenantId: req.tenantId, clientId: req.clientId }, select: { id: true } });
    if (!booking) throw new DomainError("not_found", "Booking was not found");
    const already = await this.db.bookingEvent.findFirst({ where: { tenantId: req.tenantId, bookingId: req.bookingId, type: "client_confirmed" }, select: { id: true } });
    if (already) return;
    await this.db.bookingEvent.create({
      data: { tenantId: req.tenantId, bookingId: req.bookingId, type: "client_confirmed", actor: `client:${req.clientId}`, createdAt: this.clock.now() },
    });
  }

  /** A salon's outbox, newest first, optionally by status and channel (the admin's notifications page). */
  async list(input: { tenantId: string; status?: OutboxMessageView["status"]; channel?: string; limit?: number; before?: Date }): Promise<OutboxMessageView[]> {
    const req = parseInput(listSchema, input, "outbox query");
    const rows = await this.db.outboxMessage.findMany({
      where: {
        tenantId: req.tenantId,
        ...(req.status ? { status: req.status } : {}),
        ...(req.channel ? { channel: req.channel } : {}),
        ...(req.before ? { createdAt: { lt: req.before } } : {}),
      },
      orderBy: { createdAt: "desc" },
      take: req.limit,
    });
    return rows.map(toOutboxView);
  }

  /**
   * One page of a salon's outbox for the admin's notifications page: newest first, optionally only
   * one status and one channel, each row with its client's name; `total` counts every matching
   * row. Throws `invalid_input` (an unknown status or channel, a page < 1, a page size > 200).
   */
  async listPage(input: OutboxPageQuery): Promise<OutboxPage> {
    const req = parseInput(pageSchema, input, "outbox page");
    const { rows, total } = await listOutboxPage(this.db, {
      tenantId: req.tenantId,
      status: req.status,
      channel: req.channel,
      offset: (req.page - 1) * req.pageSize,
      limit: req.pageSize,
    });
    return {
      rows: rows.map(({ client, ...row }) => ({ ...toOutboxView(row), clientName: client?.name ?? null })),
      total,
      page: req.page,
      pageSize: req.pageSize,
      pageCount: Math.max(1, Math.ceil(total / req.pageSize)),
    };
  }

  /**
   * Sends a failed message again (staff pressed Retry): pending now, attempts from zero; the
   * channel is chosen again. Throws `not_found`, `conflict` (not failed).
   */
  async retry(input: { tenantId: string; id: string }): Promise<OutboxMessageView> {
    const req = parseInput(z.object({ tenantId: z.uuid(), id: z.uuid() }), input, "outbox message");
    const now = this.clock.now();
    const [row] = await this.db.outboxMessage.updateManyAndReturn({
      where: { id: req.id, tenantId: req.tenantId, status: "failed" },
      data: { status: "pending", attempts: 0, notBefore: now, nextAttemptAt: now, channel: null, recipient: null, triedChannels: [], updatedAt: now },
    });
    if (!row) {
      const exists = await this.db.outboxMessage.findFirst({ where: { id: req.id, tenantId: req.tenantId }, select: { status: true } });
      if (!exists) throw new DomainError("not_found", "Message was not found");
      throw new DomainError("conflict", `Only failed messages can be retried; this one is ${exists.status}`);
    }
    await this.db.$executeRaw`SELECT pg_notify(${OUTBOX_NOTIFY_CHANNEL}, '')`;
    return toOutboxView(row);
  }

  /** Settings of several salons (defaults for those without a row). */
  async settingsOf(tenantIds: string[], db: Db = this.db): Promise<Map<string, NotificationSettings>> {
    const rows = tenantIds.length ? await db.notificationSettings.findMany({ where: { tenantId: { in: tenantIds } } }) : [];
    const stored = new Map(rows.map((r) => [r.tenantId, r.settings]));
    return new Map(tenantIds.map((id) => [id, readSettings(stored.get(id))]));
  }
}
