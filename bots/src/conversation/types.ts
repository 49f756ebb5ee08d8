/**
 * The vocabulary between channels and the conversation. Channels turn provider payloads into
 * `ConversationEvent`s and render `Prompt`s within their own limits; the conversation never sees
 * a messenger SDK.
 */
import type { ClientView, Core, TenantView } from "@chairside/core";
import type { Messages } from "../i18n/index.js";
import type { Formatter } from "./format.js";

/** Something the client did. */
export type ConversationEvent =
  /** Opened the chat or asked to start over (Telegram /start). */
  | { kind: "start" }
  /** Typed text. */
  | { kind: "text"; text: string }
  /** Pressed a button: `id` is the choice id the conversation put on it. */
  | { kind: "choice"; id: string }
  /**
   * Shared a contact. `verified` only when the messenger vouches that the phone is the sender's
   * own (Telegram: contact.user_id === from.id; WhatsApp: wa_id).
   */
  | { kind: "contact"; phone: string; name: string; verified: boolean }
  /** Anything else (a sticker, a photo, a voice note). */
  | { kind: "unsupported" };

/** One option of a prompt. `id` is at most 64 bytes (Telegram callback_data limit). */
export interface Choice {
  id: string;
  label: string;
  /** Navigation (Back, Menu, Later): channels may lay these out apart from the options. */
  nav?: boolean;
}

/**
 * One message to the client. Long lists of choices are the channel's problem (paging, lists).
 * A prompt with `removeKeyboard` carries no choices (Telegram cannot combine the two).
 */
export interface Prompt {
  text: string;
  choices?: Choice[];
  /** Ask the client to share their phone number; `label` is the button's text. */
  requestContact?: { label: string };
  /** Hide a contact keyboard shown by an earlier prompt. */
  removeKeyboard?: boolean;
}

/** How the client appears on the channel. */
export interface Profile {
  /** Display name (Telegram first + last name). */
  name?: string;
  /** The messenger's language, BCP 47 ("en", "da", "pt-br"). */
  languageCode?: string;
  /**
   * The sender's phone number in E.164 ("+4520123456") when the messenger itself vouches for it
   * (WhatsApp: the sender's wa_id; Viber: the phone shared with the share-phone button; Telegram:
   * the sender's own shared contact). Never set from anything the client typed. The engine
   * identifies a client not yet known by it before the step, so the contact step is skipped.
   */
  verifiedPhone?: string;
}

/** Logging, structurally compatible with bots/src/log.ts. */
export interface Logger {
  debug(msg: string, fields?: object): void;
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
}

/** Everything a step needs besides the state and the event. */
export interface StepContext {
  core: Core;
  tenant: TenantView;
  /** "telegram", "whatsapp", ... */
  channel: string;
  /** Whether the channel has a button that shares the client's own phone; false: ask them to type it. */
  sharesContact: boolean;
  /** The client's id on the channel: the identity's externalId. */
  userId: string;
  profile: Profile;
  /** The known client, or null on a first visit; a step that registers the client sets it. */
  client: ClientView | null;
  messages: Messages;
  format: Formatter;
  now: Date;
  /** The stored version this event was read with. Buttons of this step carry `version + 1`. */
  version: number;
}
