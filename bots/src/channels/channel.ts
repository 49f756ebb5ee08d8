/**
 * The one interface every messenger implements (Telegram now; WhatsApp, Viber, web chat later).
 * A required core: turn a verified provider payload into conversation events, and send prompts.
 * Optional capabilities say what some messengers can do and others cannot; the documented
 * fallback applies when a channel lacks one. Channels never import each other, and the
 * conversation never imports a channel.
 */
import type { ConversationEvent, Profile, Prompt } from "../conversation/types.js";

/** One inbound event, ready for the conversation engine. */
export interface InboundMessage {
  /** The chat to answer in (Telegram chat id, WhatsApp phone, ...), as a string. */
  chatId: string;
  /** The sender's id on the channel: the client identity's externalId. */
  userId: string;
  /** The provider's id of the event, for de-duplication (Telegram update_id, WhatsApp wamid). */
  eventId: string;
  profile: Profile;
  event: ConversationEvent;
  /**
   * Channel-private data for `acknowledge` (Telegram: the callback query id and the message the
   * pressed button was on). Opaque to everything else.
   */
  ack?: { token: string; messageId?: string };
}

/** What a channel can render; the conversation does not depend on it, channels adapt. */
export interface ChannelLimits {
  /** Most buttons on one message (Telegram: about 100 inline buttons; WhatsApp: 3 buttons or 10 list rows). */
  maxChoices: number;
  /** Longest button label, in characters, before the channel shortens it. */
  maxLabelLength: number;
  /**
   * Whether the messenger has a button that shares the client's own phone (Telegram
   * request_contact, Viber's share-phone). False (WhatsApp, where the phone is the wa_id; web
   * chat): a client who must give a phone is asked to type it, and no button is promised.
   */
  sharesContact: boolean;
}

/**
 * A messenger. `Payload` is what its webhook or poller delivers (Telegram: an Update).
 * Verification of webhook requests happens before `parse`, in the channel's HTTP handler, and is
 * never optional: a channel without its secret refuses to start in webhook mode.
 */
export interface Channel<Payload = unknown> {
  /** The channel's name in the database: ClientIdentity.channel, InboundEvent.channel. */
  readonly name: string;
  readonly limits: ChannelLimits;
  /**
   * Turns one payload into inbound messages: none for payloads the conversation ignores (a bot's
   * own message, a group chat, an edit). Pure; malformed payloads give none, never throw.
   */
  parse(payload: Payload): InboundMessage[];
  /**
   * Sends prompts to a chat, in order, each rendered within `limits`. Throws when the provider
   * refuses. May resolve with the provider's ids of the messages sent (WhatsApp wamid, Viber
   * message_token): the inbox records them so delivery statuses can be matched to replies.
   */
  send(chatId: string, prompts: readonly Prompt[]): Promise<void | readonly string[]>;
  /**
   * Optional: acknowledges an inbound message at once, before slow work (Telegram: answer the
   * callback query so the button stops spinning, and take the buttons off the pressed message).
   * Fallback: nothing to acknowledge. Must not throw.
   */
  acknowledge?(message: InboundMessage): Promise<void>;
  /**
   * Optional: sends a pre-approved template outside the messenger's reply window (WhatsApp's
   * 24-hour rule). Fallback: `send` with the template's text, for channels without the rule.
   */
  sendTemplate?(chatId: string, template: string, params: Record<string, string>): Promise<void>;
  /**
   * Optional: sends one message Chairside starts itself (an outbox row) and resolves with the
   * provider's id of it. The channel picks the form its rules allow (WhatsApp: the free-form prompt
   * inside the 24-hour customer service window, else the salon's template) and sends
   * `trackingId` in the provider's echo field (WhatsApp `biz_opaque_callback_data`), so status
   * reports find the row. Throws a permanent core `DeliveryError` when it cannot take the message
   * at all (outside the window without a template): the outbox then falls back to the client's
   * next messenger; other errors as `send`.
   * Fallback for channels without it: `send(chatId, [notification.prompt])`, no tracking id
   * (statuses match by the provider's id), no reply window.
   */
  sendNotification?(chatId: string, notification: ChannelNotification): Promise<string>;
}

/** A salon's template with its parameters rendered, ready to send (see `ChannelNotification`). */
export interface RenderedTemplate {
  /** The template's name at the provider. */
  name: string;
  /** Its language code ("en_US"). */
  language: string;
  /** The body parameters {{1}}, {{2}}, ... in order, non-empty. */
  body: string[];
  /** The payloads of its quick-reply buttons, in button order (the conversation's choice ids). */
  quickReplies: string[];
}

/** One outbox message for `Channel.sendNotification`. */
export interface ChannelNotification {
  /** The outbox row's id: travels in the provider's echo field. */
  trackingId: string;
  /** The message kind (reminder_24h, ...), for reasons. */
  kind: string;
  /** The free-form message, rendered from the catalogue (or the salon's own text). */
  prompt: Prompt;
  /**
   * The salon's template for the kind with its parameters rendered, or null when none is set.
   * Called only when needed; throws a permanent DeliveryError when a parameter cannot be filled
   * (a template wants the service of a message that has none).
   */
  template(): RenderedTemplate | null;
  /** When the client last wrote from this chat; null: never, or not known. */
  lastInboundAt: Date | null;
  /** The worker's clock: whether a reply window is open is decided against it. */
  now: Date;
}
