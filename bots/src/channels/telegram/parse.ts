/**
 * Telegram Update → inbound messages for the conversation. Validated with zod; what the
 * conversation does not handle (group chats, bots, edits, inline queries) gives no message.
 * Wire format: https://core.telegram.org/bots/api#update
 */
import { z } from "zod";
import type { ConversationEvent } from "../../conversation/types.js";
import type { InboundMessage } from "../channel.js";

const user = z.object({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  language_code: z.string().max(35).optional(),
});
const chat = z.object({ id: z.number().int(), type: z.string() });
const contact = z.object({
  phone_number: z.string().max(64),
  first_name: z.string(),
  last_name: z.string().optional(),
  /** Present when the contact is a Telegram user; equals the sender's id when they shared their own. */
  user_id: z.number().int().optional(),
});
const message = z.object({
  message_id: z.number().int(),
  from: user.optional(),
  chat,
  text: z.string().optional(),
  contact: contact.optional(),
});
const callbackQuery = z.object({
  id: z.string(),
  from: user,
  message: z.object({ message_id: z.number().int(), chat }).optional(),
  data: z.string().optional(),
});

/** The parts of an Update the conversation reads. */
export const updateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
});

type TelegramUser = z.infer<typeof user>;

function profileOf(from: TelegramUser) {
  const name = [from.first_name, from.last_name].filter(Boolean).join(" ").trim();
  return { ...(name ? { name } : {}), ...(from.language_code ? { languageCode: from.language_code } : {}) };
}

/** `/start`, `/start payload` and `/start@BotName` all start over. */
const START = /^\/start(?:@\w+)?(?:\s|$)/i;

/**
 * The inbound messages of one Update: none or one. A shared contact counts as verified only when
 * `contact.user_id === from.id` (the user shared their own number through the request_contact
 * button, https://core.telegram.org/bots/api#keyboardbutton).
 */
export function parseUpdate(payload: unknown): InboundMessage[] {
  const parsed = updateSchema.safeParse(payload);
  if (!parsed.success) return [];
  const update = parsed.data;
  const eventId = String(update.update_id);

  if (update.message) {
    const m = update.message;
    if (!m.from || m.from.is_bot || m.chat.type !== "private") return [];
    let event: ConversationEvent;
    if (m.contact) {
      const c = m.contact;
      const name = [c.first_name, c.last_name].filter(Boolean).join(" ").trim();
      const verified = c.user_id !== undefined && c.user_id === m.from.id;
      // The user's own number comes in international format, often without the "+".
      const phone = verified && /^\d+$/.test(c.phone_number) ? `+${c.phone_number}` : c.phone_number;
      event = { kind: "contact", phone, name, verified };
    } else if (m.text !== undefined) {
      event = START.test(m.text.trim()) ? { kind: "start" } : { kind: "text", text: m.text };
    } else {
      event = { kind: "unsupported" };
    }
    // The sender's own shared contact vouches for their phone: the engine links the client by it.
    const profile = event.kind === "contact" && event.verified ? { ...profileOf(m.from), verifiedPhone: event.phone } : profileOf(m.from);
    return [{ chatId: String(m.chat.id), userId: String(m.from.id), eventId, profile, event }];
  }

  if (update.callback_query) {
    const q = update.callback_query;
    if (q.from.is_bot) return [];
    if (q.message && q.message.chat.type !== "private") return [];
    const chatId = String(q.message?.chat.id ?? q.from.id);
    const event: ConversationEvent = q.data !== undefined ? { kind: "choice", id: q.data } : { kind: "unsupported" };
    const ack = q.message ? { token: q.id, messageId: String(q.message.message_id) } : { token: q.id };
    return [{ chatId, userId: String(q.from.id), eventId, profile: profileOf(q.from), event, ack }];
  }

  return [];
}
