/**
 * The vocabulary of the outbox: kinds, categories and statuses of outgoing messages, what a row
 * looks like to callers, and the `Sender` port each messenger implements on the bots side.
 */
import type { OutboxCategory, OutboxStatus } from "@prisma/client";
import type { MessageTemplateView } from "./templates.js";

/** Messages about a client's booking or visit, in the order of the sequence. */
export const CLIENT_KINDS = [
  "confirmation",
  "rescheduled",
  "cancelled",
  "reminder_24h",
  "reminder_1h",
  "thank_you",
  "reactivation",
  "birthday",
] as const;

/** A message to a client. Settings switch each on or off per salon. */
export type ClientKind = (typeof CLIENT_KINDS)[number];

/**
 * Every kind the outbox knows. `owner_alert` is for staff (low stock, summaries: issue 5's
 * follow-up); more kinds may be added (the column is text, checked `^[a-z][a-z0-9_]{0,39}$`).
 */
export type NotificationKind = ClientKind | "owner_alert";

/** Every outbox status, in the order a message goes through them (then the two ends). */
export const OUTBOX_STATUSES = ["pending", "sending", "sent", "delivered", "read", "failed", "cancelled"] as const satisfies readonly OutboxStatus[];

/** The messengers an outbox row may go out on (OutboxMessage.channel, ClientIdentity.channel). */
export const NOTIFICATION_CHANNELS = ["telegram", "whatsapp", "viber", "webchat"] as const;

/** One of NOTIFICATION_CHANNELS. */
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** utility: about a booking; marketing: needs the client's consent; owner: to staff. */
export type NotificationCategory = OutboxCategory;

/** pending → sending → sent → delivered → read; or failed / cancelled. Never backwards. */
export type NotificationStatus = OutboxStatus;

/** Which category each client kind belongs to (WhatsApp bills and approves templates by category). */
export const CATEGORY_OF: Record<ClientKind, NotificationCategory> = {
  confirmation: "utility",
  rescheduled: "utility",
  cancelled: "utility",
  reminder_24h: "utility",
  reminder_1h: "utility",
  thank_you: "utility",
  reactivation: "marketing",
  birthday: "marketing",
};

/** Kinds a client's STOP switches off (besides marketing): everything not caused by someone else's change. */
export const OPT_OUT_KINDS: readonly ClientKind[] = ["reminder_24h", "reminder_1h", "thank_you", "reactivation", "birthday"];

/** Buttons a message may carry; the conversation maps each to a booking-scoped choice id. */
export type BookingAction = "confirm" | "reschedule" | "cancel";

/**
 * What booking messages are made of (OutboxMessage.data), captured when the row is written.
 * Instants are ISO strings (UTC); `zone` is the salon's IANA zone to show them in.
 */
export interface BookingMessageData {
  salonName: string;
  /** The salon's IANA zone. */
  zone: string;
  /** The salon's BCP 47 locale. */
  salonLocale: string;
  /** The client's language, if known. */
  clientLocale: string | null;
  clientName: string;
  bookingId: string;
  serviceName: string;
  staffName: string;
  startsAt: string;
  endsAt: string;
  /** For `rescheduled`: where the booking was. */
  previousStartsAt?: string;
  /** For `thank_you`: the salon's review page, when set. */
  reviewUrl?: string;
  /** Buttons to show (the 1 h reminder: confirm, reschedule, cancel). */
  actions?: BookingAction[];
}

/** What birthday and re-activation messages are made of. */
export interface ClientMessageData {
  salonName: string;
  zone: string;
  salonLocale: string;
  clientLocale: string | null;
  clientName: string;
  /** For `reactivation`: the end of the last visit, ISO. */
  lastVisitAt?: string;
}

/** One outbox row as callers see it (the admin's notifications page, tests). */
export interface OutboxMessageView {
  id: string;
  tenantId: string;
  kind: string;
  category: NotificationCategory;
  clientId: string | null;
  bookingId: string | null;
  channel: string | null;
  recipient: string | null;
  template: string | null;
  data: Record<string, unknown>;
  idempotencyKey: string;
  status: NotificationStatus;
  notBefore: Date;
  attempts: number;
  nextAttemptAt: Date;
  /** The last failure, or why it was cancelled. */
  lastError: string | null;
  providerMessageId: string | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  /** Channels it already failed on for good and fell back from (["whatsapp"]); [] when none. */
  triedChannels: string[];
  createdAt: Date;
}

/** A row of the admin's outbox list: the message and the name of its client (null without one). */
export interface OutboxListRow extends OutboxMessageView {
  clientName: string | null;
}

/** What `NotificationService.listPage` takes: a salon, optional filters, a 1-based page. */
export interface OutboxPageQuery {
  tenantId: string;
  status?: NotificationStatus | undefined;
  channel?: NotificationChannel | undefined;
  /** 1-based; default 1. A page past the end is empty. */
  page?: number | undefined;
  /** Rows per page, 1..200; default 50. */
  pageSize?: number | undefined;
}

/** One page of a salon's outbox, newest first, and how many rows match in all. */
export interface OutboxPage {
  rows: OutboxListRow[];
  /** Rows matching the filters, on every page. */
  total: number;
  page: number;
  pageSize: number;
  /** Pages in all (at least 1). */
  pageCount: number;
}

/**
 * A message to write. `channel` and `recipient` stay null for client messages (chosen when it is
 * first sent); owner messages name them. `notBefore` defaults to now.
 */
export interface NewOutboxMessage {
  tenantId: string;
  kind: NotificationKind;
  category: NotificationCategory;
  clientId?: string | null;
  bookingId?: string | null;
  channel?: string | null;
  recipient?: string | null;
  template?: string | null;
  data: Record<string, unknown>;
  /** Unique per salon; writing the same key again does nothing (a cancelled row with it is revived). */
  idempotencyKey: string;
  notBefore?: Date;
}

/**
 * One message handed to a `Sender`. `outboxId` should travel in the provider's echo field where
 * one exists (WhatsApp `biz_opaque_callback_data`, Viber `tracking_data`) so status reports can
 * be matched to the row even before our own commit of the provider's id.
 */
export interface OutboundMessage {
  outboxId: string;
  tenantId: string;
  kind: string;
  category: NotificationCategory;
  channel: string;
  /** The chat or user id on the channel. */
  recipient: string;
  /** A provider template name, or null: render the kind's text. */
  template: string | null;
  data: Record<string, unknown>;
  /** The salon's own texts for this kind, by language ("en", "da"), overriding the catalogue. */
  textOverrides: Record<string, string>;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * When the client last wrote to us from `recipient` on `channel` (null: never, or not known).
   * WhatsApp's 24-hour customer service window runs from it. Undefined from callers that do not know.
   */
  lastInboundAt?: Date | null | undefined;
  /** The salon's approved template for this kind on `channel` (the registry), or null when none is set. */
  channelTemplate?: MessageTemplateView | null | undefined;
}

/** What a provider answered: its id of the message. */
export interface SendResult {
  providerMessageId: string;
}

/**
 * Sends outbox messages on one messenger for one salon (implemented on the bots side with the
 * channel's credentials). Should honour `signal` (abort the HTTP call when it fires); the worker
 * renews its claim while a send is in flight, so a slow send is never taken over by another
 * worker. Throws `DeliveryError` for a refusal; any other error counts as temporary.
 */
export interface Sender {
  /** "telegram", "whatsapp", ... */
  readonly channel: string;
  send(message: OutboundMessage, options: { signal: AbortSignal }): Promise<SendResult>;
}

/**
 * Finds the sender of a salon's channel; undefined when that channel is not set up for the salon.
 * Both may be async (credentials are looked up per salon); the worker asks once per batch.
 */
export interface SenderDirectory {
  get(tenantId: string, channel: string): Sender | undefined | Promise<Sender | undefined>;
  /** The channels the salon can send on now (for choosing among a client's identities). */
  channelsOf(tenantId: string): readonly string[] | Promise<readonly string[]>;
}

/**
 * A provider refused a message. `permanent` (a blocked bot, an unknown chat, a 4xx other than
 * 429) fails the row at once; otherwise it is retried with backoff. `retryAfterMs` (a 429's
 * retry_after) delays the next attempt at least that long.
 */
export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * A provider's report about a message we sent (WhatsApp statuses webhook, Viber delivered /
 * seen / failed). `outboxId` is the echo field when the provider returned it.
 */
export interface DeliveryStatusInput {
  channel: string;
  providerMessageId: string;
  status: "sent" | "delivered" | "read" | "failed";
  /** For failures, e.g. { code: "131047", message: "Re-engagement message" }. */
  error?: { code: string; message: string } | undefined;
  outboxId?: string | undefined;
  /** When the provider says it happened; default now. */
  at?: Date | undefined;
}
