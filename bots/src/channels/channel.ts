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
}
