/**
 * Viber callbacks → what the server needs: conversation input, delivery reports, subscription
 * notices, the user to welcome, and "More…" page requests. Wire format:
 * https://developers.viber.com/docs/api/rest-bot-api/#callbacks (events `webhook`, `message`,
 * `subscribed`, `unsubscribed`, `conversation_started`, `delivered`, `seen`, `failed`).
 *
 * `message_token` precision: Viber's tokens are 64-bit integers written as bare JSON numbers
 * (e.g. 5741311803571721087), beyond 2^53, so `JSON.parse` would round them: two different
 * messages could get the same de-duplication id, and the id we store would not be Viber's.
 * A reviver is too late (it receives the rounded number), and JSON.parse's source-text access
 * (`context.source`) does not exist on Node 20. So `parseViberJson` first rewrites the raw text:
 * the number after every `"message_token"` KEY becomes a string of the same digits. The rewrite
 * walks the JSON string tokens whole (a regex that consumes each `"..."` with its escapes), so a
 * `"message_token": 1` typed inside a user's message text is never touched.
 */
import { z } from "zod";
import type { ConversationEvent, Profile } from "../../conversation/types.js";
import type { InboundMessage } from "../channel.js";
import type { ChannelNotice, DeliveryStatus } from "../plugin.js";
import { PAGE_PREFIX, parsePages, type KeyboardPages } from "./render.js";

/** One JSON string token, or a string token followed by `:` and a number (a key and its numeric value). */
const STRING_TOKEN = /("[^"\\]*(?:\\.[^"\\]*)*")(?:(\s*:\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?))?/g;

/** The raw JSON text with every `"message_token": <integer>` turned into `"message_token": "<integer>"`. */
export function quoteMessageTokens(raw: string): string {
  return raw.replace(STRING_TOKEN, (whole, key: string, colon: string | undefined, number: string | undefined) =>
    key === '"message_token"' && colon !== undefined && number !== undefined && /^-?\d+$/.test(number) ? `${key}${colon}"${number}"` : whole,
  );
}

/** JSON.parse of a Viber body (callback or API response) with message tokens kept exact, as strings. Throws SyntaxError on bad JSON. */
export function parseViberJson(raw: string | Buffer): unknown {
  return JSON.parse(quoteMessageTokens(typeof raw === "string" ? raw : raw.toString("utf8")));
}

/** A message token: the exact digits as a string. A number is accepted only while it is exact (≤ 2^53). */
export const messageTokenSchema = z.union([
  z.string().regex(/^\d{1,20}$/),
  z
    .number()
    .int()
    .nonnegative()
    .refine((n) => Number.isSafeInteger(n), { error: "message_token beyond 2^53 was rounded: parse the raw body with parseViberJson" })
    .transform(String),
]);

/** Viber's user object (sender of `message`, `user` of `subscribed` and `conversation_started`). */
const userSchema = z.object({
  id: z.string().min(1).max(256),
  name: z.string().max(1000).optional(),
  avatar: z.string().optional(),
  country: z.string().optional(),
  language: z.string().max(35).optional(),
  api_version: z.number().optional(),
});

const envelopeSchema = z.object({ event: z.string().min(1).max(64), timestamp: z.number().nonnegative().optional() });

const conversationStartedSchema = z.object({
  timestamp: z.number().nonnegative(),
  message_token: messageTokenSchema.optional(),
  type: z.string().optional(),
  context: z.string().optional(),
  user: userSchema,
  subscribed: z.boolean().optional(),
});

const subscribedSchema = z.object({ timestamp: z.number().nonnegative(), message_token: messageTokenSchema.optional(), user: userSchema });
const unsubscribedSchema = z.object({ timestamp: z.number().nonnegative(), message_token: messageTokenSchema.optional(), user_id: z.string().min(1).max(256) });
const statusSchema = z.object({
  timestamp: z.number().nonnegative(),
  message_token: messageTokenSchema,
  user_id: z.string().min(1).max(256),
  desc: z.string().optional(),
});

const messageSchema = z.object({
  timestamp: z.number().nonnegative(),
  message_token: messageTokenSchema,
  sender: userSchema,
  message: z.object({
    type: z.string().min(1),
    text: z.string().optional(),
    tracking_data: z.string().optional(),
    contact: z.object({ name: z.string().optional(), phone_number: z.string().max(64).optional(), avatar: z.string().optional() }).optional(),
  }),
});

/** The user pressed "More…": draw page `page` of the keyboard described by `pages`. */
export interface PageRequest {
  userId: string;
  page: number;
  pages: KeyboardPages;
  eventId: string;
}

/** Everything one verified callback carries. */
export interface ParsedCallback {
  /** Viber's event name ("message", "webhook", ...); unknown events parse to nothing. */
  event: string;
  messages: InboundMessage[];
  statuses: DeliveryStatus[];
  notices: ChannelNotice[];
  /** `conversation_started`: the user to answer with the welcome message (in the HTTP response). */
  conversationStarted?: { userId: string; profile: Profile; subscribed: boolean; eventId: string };
  /** A "More…" press: handled by the channel (next keyboard page), not by the conversation. */
  page?: PageRequest;
}

type ViberUser = z.infer<typeof userSchema>;

function profileOf(user: ViberUser): Profile {
  const name = user.name?.trim();
  return { ...(name ? { name } : {}), ...(user.language ? { languageCode: user.language } : {}) };
}

/** A choice id as the conversation makes them (g:…, s:…, b:…; at most 64 bytes), sent back as a reply button's ActionBody. */
const CHOICE_ID = /^[gsb]:\S+$/;
const PAGE_BODY = new RegExp(`^${PAGE_PREFIX}(\\d{1,3})$`);

const empty = (event: string): ParsedCallback => ({ event, messages: [], statuses: [], notices: [] });

/** The phone of a contact in international format: Viber may leave out the "+". */
function normalisePhone(phone: string): string {
  const trimmed = phone.trim();
  return /^\d{6,15}$/.test(trimmed) ? `+${trimmed}` : trimmed;
}

function parseMessage(data: unknown): ParsedCallback | null {
  const parsed = messageSchema.safeParse(data);
  if (!parsed.success) return null;
  const { sender, message, message_token: eventId } = parsed.data;
  const userId = sender.id;
  let profile = profileOf(sender);
  let event: ConversationEvent;
  switch (message.type) {
    case "text": {
      const text = message.text ?? "";
      const page = PAGE_BODY.exec(text.trim());
      const pages = page ? parsePages(message.tracking_data) : null;
      if (page && pages) return { ...empty("message"), page: { userId, page: Number(page[1]), pages, eventId } };
      const id = text.trim();
      event = CHOICE_ID.test(id) && Buffer.byteLength(id, "utf8") <= 64 ? { kind: "choice", id } : { kind: "text", text };
      break;
    }
    case "contact": {
      // The share-phone keyboard button sends the user's own number, which Viber vouches for.
      const phone = normalisePhone(message.contact?.phone_number ?? "");
      if (!phone) {
        event = { kind: "unsupported" };
        break;
      }
      event = { kind: "contact", phone, name: message.contact?.name?.trim() || profile.name || "", verified: true };
      profile = { ...profile, verifiedPhone: phone };
      break;
    }
    default:
      // picture, video, file, sticker, location, url, rich_media: a polite text and the menu.
      event = { kind: "unsupported" };
  }
  return { ...empty("message"), messages: [{ chatId: userId, userId, eventId, profile, event }] };
}

function parseStatus(event: "delivered" | "seen" | "failed", data: unknown): ParsedCallback | null {
  const parsed = statusSchema.safeParse(data);
  if (!parsed.success) return null;
  const { message_token: token, user_id: recipientId, timestamp, desc } = parsed.data;
  const status: DeliveryStatus = {
    providerMessageId: token,
    status: event === "seen" ? "read" : event,
    at: new Date(timestamp),
    recipientId,
    eventId: `${token}:${event}`,
    ...(event === "failed" ? { error: { code: "failed", message: desc ?? "" } } : {}),
  };
  return { ...empty(event), statuses: [status] };
}

/**
 * Parses one callback: a parsed object (from `parseViberJson`), or the raw body (string or
 * Buffer), which is the exact way. Returns null when the body is not JSON or a known event is
 * malformed (answer 400); an unknown event parses to nothing. Message events:
 * - text: a choice id (a reply button's ActionBody) → `choice`; `page:<n>` with our paging state
 *   in `tracking_data` → a page request; other text → `text`;
 * - contact (the share-phone button) → a verified `contact`, and `profile.verifiedPhone`;
 * - anything else (picture, sticker, location, file, video, url) → `unsupported`.
 * The chat and the user are both `sender.id`; the event id is `message_token`, and
 * `<message_token>:<event>` for delivery reports and subscription notices.
 */
export function parseCallback(payload: unknown): ParsedCallback | null {
  let data = payload;
  if (typeof payload === "string" || Buffer.isBuffer(payload)) {
    try {
      data = parseViberJson(payload);
    } catch {
      return null;
    }
  }
  const envelope = envelopeSchema.safeParse(data);
  if (!envelope.success) return null;
  const { event } = envelope.data;
  switch (event) {
    case "webhook":
      return empty(event);
    case "message":
      return parseMessage(data);
    case "delivered":
    case "seen":
    case "failed":
      return parseStatus(event, data);
    case "conversation_started": {
      const parsed = conversationStartedSchema.safeParse(data);
      if (!parsed.success) return null;
      const { user, subscribed, message_token: token, timestamp } = parsed.data;
      const eventId = `${token ?? `${user.id}:${timestamp}`}:${event}`;
      return { ...empty(event), conversationStarted: { userId: user.id, profile: profileOf(user), subscribed: subscribed ?? false, eventId } };
    }
    case "subscribed": {
      const parsed = subscribedSchema.safeParse(data);
      if (!parsed.success) return null;
      const { user, message_token: token, timestamp } = parsed.data;
      const eventId = `${token ?? `${user.id}:${timestamp}`}:${event}`;
      return { ...empty(event), notices: [{ kind: "subscription", userId: user.id, subscribed: true, eventId }] };
    }
    case "unsubscribed": {
      const parsed = unsubscribedSchema.safeParse(data);
      if (!parsed.success) return null;
      const { user_id: userId, message_token: token, timestamp } = parsed.data;
      const eventId = `${token ?? `${userId}:${timestamp}`}:${event}`;
      return { ...empty(event), notices: [{ kind: "subscription", userId, subscribed: false, eventId }] };
    }
    default:
      return empty(event);
  }
}

/** The conversation input of one callback (Channel.parse): never throws; malformed gives none. */
export function parseMessages(payload: unknown): InboundMessage[] {
  return parseCallback(payload)?.messages ?? [];
}
