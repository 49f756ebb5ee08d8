/**
 * WhatsApp Cloud API webhook payloads → conversation events and delivery statuses. Validated with
 * zod, entry by entry, change by change, message by message: one malformed message never hides
 * the others of a batch. Wire format:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components (envelope, value,
 * messages, statuses), https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
 * (every message type). Samples from those pages are in ./samples.
 */
import { z } from "zod";
import type { ConversationEvent, Profile } from "../../conversation/types.js";
import type { InboundMessage } from "../channel.js";
import type { DeliveryStatus } from "../plugin.js";

/** The envelope every webhook POST has: `{ object, entry: [{ id, changes: [{ field, value }] }] }`. */
export const envelopeSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

/** A validated webhook envelope. */
export type WebhookEnvelope = z.infer<typeof envelopeSchema>;

/** The `value` of a `messages` change: metadata, the senders' profiles, messages and statuses. */
const valueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string(), display_phone_number: z.string().optional() }),
  contacts: z.array(z.object({ wa_id: z.string().optional(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

type ChangeValue = z.infer<typeof valueSchema>;

/** What every inbound message has. `group_id` marks a group chat (ignored). */
const messageBase = z.object({
  from: z.string().min(1).max(64),
  id: z.string().min(1).max(512),
  type: z.string(),
  group_id: z.string().optional(),
});

const textMessage = z.object({ text: z.object({ body: z.string() }) });
const interactiveMessage = z.object({
  interactive: z.object({
    type: z.string(),
    button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
    list_reply: z.object({ id: z.string(), title: z.string().optional(), description: z.string().optional() }).optional(),
  }),
});
/** A tap on a template's quick-reply button. */
const buttonMessage = z.object({ button: z.object({ payload: z.string().optional(), text: z.string().optional() }) });
/** Shared contact cards. `phones[].wa_id` is present when the number is on WhatsApp. */
const contactsMessage = z.object({
  contacts: z
    .array(
      z.object({
        name: z.object({ formatted_name: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional() }).optional(),
        phones: z.array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
      }),
    )
    .min(1),
});

const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.union([z.string(), z.number()]),
  recipient_id: z.string(),
  errors: z.array(z.object({ code: z.union([z.number(), z.string()]), title: z.string().optional(), message: z.string().optional() })).optional(),
  /** What we sent as `biz_opaque_callback_data` (our outbox id), echoed back. */
  biz_opaque_callback_data: z.string().optional(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATUSES = new Set<DeliveryStatus["status"]>(["sent", "delivered", "read", "failed"]);
const WA_ID = /^\d{6,15}$/;

/** The sender's profile: the name WhatsApp shows for them, and their phone (wa_id is a verified E.164 number without "+"). */
function profileOf(from: string, value: ChangeValue): Profile {
  const contacts = value.contacts ?? [];
  const contact = contacts.find((c) => c.wa_id === from) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const name = contact?.profile?.name?.trim();
  return { ...(name ? { name } : {}), ...(WA_ID.test(from) ? { verifiedPhone: `+${from}` } : {}) };
}

/**
 * A shared contact card. Verified only when the card's WhatsApp id is the sender's own wa_id:
 * anyone can share anyone's card.
 */
function contactEvent(from: string, raw: unknown): ConversationEvent {
  const parsed = contactsMessage.safeParse(raw);
  if (!parsed.success) return { kind: "unsupported" };
  const card = parsed.data.contacts[0]!;
  const phones = card.phones ?? [];
  const own = phones.find((p) => p.wa_id === from);
  const phone = own ? `+${from}` : (phones.find((p) => p.phone)?.phone ?? phones.find((p) => p.wa_id)?.wa_id);
  if (!phone) return { kind: "unsupported" };
  const name = card.name?.formatted_name ?? [card.name?.first_name, card.name?.last_name].filter(Boolean).join(" ");
  return { kind: "contact", phone, name: name.trim(), verified: own !== undefined };
}

function eventOf(type: string, from: string, raw: unknown): ConversationEvent | null {
  switch (type) {
    case "text": {
      const parsed = textMessage.safeParse(raw);
      return parsed.success ? { kind: "text", text: parsed.data.text.body } : { kind: "unsupported" };
    }
    case "interactive": {
      const parsed = interactiveMessage.safeParse(raw);
      if (!parsed.success) return { kind: "unsupported" };
      const reply = parsed.data.interactive.button_reply ?? parsed.data.interactive.list_reply;
      return reply ? { kind: "choice", id: reply.id } : { kind: "unsupported" };
    }
    case "button": {
      const parsed = buttonMessage.safeParse(raw);
      const payload = parsed.success ? parsed.data.button.payload : undefined;
      return payload ? { kind: "choice", id: payload } : { kind: "unsupported" };
    }
    case "contacts":
      return contactEvent(from, raw);
    case "request_welcome":
      // The user opened the chat for the first time (welcome message request).
      return { kind: "start" };
    case "system":
      // "User changed their number" and similar notices: not conversation input.
      return null;
    default:
      // image, sticker, audio, voice, video, document, location, reaction, order, unsupported, ...
      return { kind: "unsupported" };
  }
}

/**
 * One message of a `messages` change → an inbound message, or null when it is not conversation
 * input (group chats, system notices, a message without sender or id). Pure; never throws.
 * chatId = userId = the sender's wa_id; eventId = the wamid.
 */
export function parseMessage(raw: unknown, value: ChangeValue): InboundMessage | null {
  const base = messageBase.safeParse(raw);
  if (!base.success || base.data.group_id) return null;
  const { from, id, type } = base.data;
  const event = eventOf(type, from, raw);
  if (!event) return null;
  return { chatId: from, userId: from, eventId: id, profile: profileOf(from, value), event };
}

/**
 * One status report → a delivery status, or null for statuses we do not track. `at` from the
 * epoch-seconds timestamp; `error` from errors[0] (131047 = outside the 24-hour window);
 * `eventId` = `${wamid}:${status}` (Meta retries; "read" may come without "delivered");
 * `outboxId` from `biz_opaque_callback_data` when it is a UUID (what the outbox sender puts there).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object
 */
export function parseStatus(raw: unknown): DeliveryStatus | null {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return null;
  const s = parsed.data;
  if (!STATUSES.has(s.status as DeliveryStatus["status"])) return null;
  const seconds = Number(s.timestamp);
  if (!Number.isFinite(seconds)) return null;
  const status = s.status as DeliveryStatus["status"];
  const first = s.errors?.[0];
  return {
    providerMessageId: s.id,
    status,
    at: new Date(seconds * 1000),
    recipientId: s.recipient_id,
    ...(first ? { error: { code: String(first.code), message: first.title ?? first.message ?? "" } } : {}),
    eventId: `${s.id}:${status}`,
    ...(s.biz_opaque_callback_data && UUID.test(s.biz_opaque_callback_data) ? { outboxId: s.biz_opaque_callback_data.toLowerCase() } : {}),
  };
}

/** What `parseEnvelope` found, and what it had to skip. */
export interface ParsedWebhook {
  messages: InboundMessage[];
  statuses: DeliveryStatus[];
  /** One line per skipped item (never message content): for the log. */
  skipped: string[];
}

/**
 * Every message and status of every change of every entry, each parsed on its own (a failure is
 * recorded in `skipped`, the rest go on). Changes of other fields, other objects and other phone
 * numbers than `phoneNumberId` (when given) are skipped.
 */
export function parseEnvelope(envelope: WebhookEnvelope, phoneNumberId?: string): ParsedWebhook {
  const result: ParsedWebhook = { messages: [], statuses: [], skipped: [] };
  if (envelope.object !== "whatsapp_business_account") {
    result.skipped.push(`object ${JSON.stringify(envelope.object.slice(0, 40))} is not whatsapp_business_account`);
    return result;
  }
  envelope.entry.forEach((entry, e) => {
    entry.changes.forEach((change, c) => {
      const where = `entry ${e} change ${c}`;
      if (change.field !== "messages") {
        result.skipped.push(`${where}: field ${JSON.stringify(change.field.slice(0, 40))} is not handled`);
        return;
      }
      const value = valueSchema.safeParse(change.value);
      if (!value.success) {
        result.skipped.push(`${where}: the value has no metadata.phone_number_id`);
        return;
      }
      if (phoneNumberId && value.data.metadata.phone_number_id !== phoneNumberId) {
        result.skipped.push(`${where}: for another phone number id`);
        return;
      }
      (value.data.messages ?? []).forEach((raw, m) => {
        try {
          const message = parseMessage(raw, value.data);
          if (message) result.messages.push(message);
          else result.skipped.push(`${where} message ${m}: not conversation input`);
        } catch (error) {
          result.skipped.push(`${where} message ${m}: ${error instanceof Error ? error.name : "error"}`);
        }
      });
      (value.data.statuses ?? []).forEach((raw, s) => {
        try {
          const status = parseStatus(raw);
          if (status) result.statuses.push(status);
          else result.skipped.push(`${where} status ${s}: not a tracked status`);
        } catch (error) {
          result.skipped.push(`${where} status ${s}: ${error instanceof Error ? error.name : "error"}`);
        }
      });
    });
  });
  return result;
}

/** `Channel.parse`: the inbound messages of a webhook payload (any value; malformed → none). */
export function parsePayload(payload: unknown, phoneNumberId?: string): InboundMessage[] {
  const envelope = envelopeSchema.safeParse(payload);
  return envelope.success ? parseEnvelope(envelope.data, phoneNumberId).messages : [];
}
