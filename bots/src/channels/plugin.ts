/**
 * How a messenger plugs into the server. Each channel folder (telegram/, whatsapp/, viber/,
 * webchat/) exports one `ChannelPlugin`; the server resolves each salon's credentials, mounts the
 * plugin's webhook at `/webhooks/<channel>/<salon slug>` and hands what it delivers to the
 * persist-first inbox. Plugins never import each other.
 */
import type { PrismaClient } from "@chairside/core";
import type { RequestHandler } from "express";
import type { z } from "zod";
import type { Logger, Prompt } from "../conversation/types.js";
import type { OwnerDesk } from "../owner/desk.js";
import type { Channel, InboundMessage } from "./channel.js";

/** A delivery report from the provider about a message we sent (WhatsApp statuses, Viber delivered/seen/failed). */
export interface DeliveryStatus {
  /** The provider's id of the message we sent (WhatsApp wamid, Viber message_token as a string). */
  providerMessageId: string;
  status: "sent" | "delivered" | "read" | "failed";
  /** When the provider says it happened. */
  at: Date;
  /** The recipient's id on the channel. */
  recipientId: string;
  /** For failures: the provider's code and text, e.g. { code: "131047", message: "Re-engagement message" }. */
  error?: { code: string; message: string };
  /** A unique id of this report for de-duplication, e.g. `${wamid}:${status}`. */
  eventId: string;
  /** Our outbox id, when the provider echoed the tracking id we sent (WhatsApp `biz_opaque_callback_data`); only a UUID. */
  outboxId?: string;
}

/** Other things a webhook may report that are not conversation input. */
export type ChannelNotice =
  /** Viber: the user subscribed to or unsubscribed from the bot (messages only reach subscribers). */
  | { kind: "subscription"; userId: string; subscribed: boolean; eventId: string };

/** What a verified webhook request hands to the server. The handler answers 200 only after `deliver` resolved (persist first). */
export interface WebhookDelivery {
  messages: InboundMessage[];
  statuses: DeliveryStatus[];
  notices: ChannelNotice[];
}

/** Everything a plugin's factories receive. `fetch` is the global fetch unless tests pass another. */
export interface ChannelDeps<Credentials> {
  credentials: Credentials;
  log: Logger;
  fetch?: typeof fetch;
  /** The id of the salon the channel serves (given by the server; absent in contract tests). */
  tenantId?: string;
  /**
   * The database, for a channel that keeps records of its own (web chat: its conversations and
   * the transcript the widget polls). Given by the server; absent in contract tests.
   */
  prisma?: PrismaClient;
  /**
   * The salon's owner desk (owner commands and alerts in chats linked to staff accounts). Given by
   * the server to channels that host the owner's side (Telegram); others ignore it.
   */
  owner?: OwnerDesk;
}

/** What a plugin's optional `start` reports. */
export interface ChannelStartResult {
  /** The rest of the startup banner line after "<Channel>: ", e.g. "long polling as @salon_bot". */
  line: string;
  /** Stops what `start` started (a poller); called on shutdown. */
  stop(): Promise<void>;
  /**
   * Optional: undoes what `start` registered with the provider (Telegram deleteWebhook), called
   * after `stop` when the connection is disabled, removed or replaced, never on shutdown (the
   * registration must survive a restart). Fallback: the provider keeps delivering and the
   * webhook route answers 404 until it gives up.
   */
  disconnect?(): Promise<void>;
}

/**
 * One messenger. `Credentials` are resolved per salon (encrypted at rest; from the environment for
 * the first salon) and validated with `credentialsSchema` before any factory is called.
 */
export interface ChannelPlugin<Credentials> {
  /** "telegram", "whatsapp", "viber", "webchat": ClientIdentity.channel and the webhook path segment. */
  readonly name: string;
  /** zod schema of the credentials; a missing secret is a clear configuration error, never "accept everything". */
  readonly credentialsSchema: z.ZodType<Credentials>;
  /** Sends prompts and templates with the salon's credentials. */
  createChannel(deps: ChannelDeps<Credentials>): Channel;
  /**
   * The webhook for one salon (mounted by the server at `/webhooks/<name>/<slug>`, all methods).
   * Must read the raw body itself (express.raw), verify the provider's signature or secret on the
   * raw bytes with a constant-time comparison BEFORE parsing (401 when missing or wrong, nothing
   * delivered), answer 400 to malformed or oversized bodies, call `deliver` once per request, and
   * answer 200 only after `deliver` resolved (the server persists first; a 5xx makes the provider retry).
   * A provider handshake (WhatsApp's GET hub.challenge, Viber's `webhook` event) is answered here.
   * `respond` lets a plugin put a body in the 200 (Viber's welcome message for conversation_started).
   */
  createWebhookHandler(
    deps: ChannelDeps<Credentials> & {
      deliver(delivery: WebhookDelivery): Promise<void>;
      /**
       * The prompt to answer in the HTTP response itself (Viber's welcome message for
       * conversation_started, rendered by the plugin); null when none. Provided by the server.
       */
      welcome?(userId: string, profile: { name?: string; languageCode?: string }): Promise<Prompt | null>;
    },
  ): RequestHandler;
  /**
   * Optional: start-up work for one salon, after its webhook route is live: check the
   * credentials with the provider, register `webhookUrl` with it (Telegram setWebhook, Viber
   * set_webhook) or, when `webhookUrl` is null (no PUBLIC_URL), start long polling and hand every
   * update to `deliver` exactly as the webhook would (persist first). Throws DomainError
   * `config_invalid` saying what to fix. Fallback: nothing to start; the banner shows the URL.
   */
  start?(
    deps: ChannelDeps<Credentials> & {
      salon: { slug: string; name: string; locale: string };
      /** The public https URL of this salon's webhook, or null when PUBLIC_URL is not set. */
      webhookUrl: string | null;
      deliver(delivery: WebhookDelivery): Promise<void>;
      /** How long the provider's first check (Telegram getMe) may take, ms; the plugin's default when absent. */
      checkTimeoutMs?: number;
    },
  ): Promise<ChannelStartResult>;
}
