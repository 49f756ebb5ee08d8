/**
 * Owner messages as prompts, in the salon's zone and a language we speak: the low-stock alert
 * (with its "Record delivery" button), the daily summary and the day agenda. Used by the outbox's
 * renderer (kind owner_alert) and by the owner's commands.
 */
import type { AgendaEntry, DayAgenda, OutboundMessage } from "@chairside/core";
import { z } from "zod";
import { Formatter } from "../conversation/format.js";
import type { Prompt } from "../conversation/types.js";
import { formattingLocale, messagesFor, pickLocale, t, type Language } from "../i18n/index.js";
import { OWNER_CHOICES } from "./commands.js";

const lowStock = z.object({
  alert: z.literal("low_stock"),
  salonName: z.string(),
  salonLocale: z.string(),
  productId: z.uuid(),
  productName: z.string(),
  unit: z.string(),
  stockOnHand: z.number().int(),
  threshold: z.number().int(),
});
const dailySummary = z.object({
  alert: z.literal("daily_summary"),
  salonName: z.string(),
  salonLocale: z.string(),
  zone: z.string(),
  date: z.string(),
  bookings: z.number().int(),
  freeSlots: z.number().int(),
  yesterdayNetMinor: z.number().int(),
  currency: z.string(),
});
const ownerAlert = z.discriminatedUnion("alert", [lowStock, dailySummary]);

/** A formatter for owner texts in `language` (times in `zone`). */
export function ownerFormatter(language: Language, salonLocale: string, zone: string, now: Date): Formatter {
  return new Formatter(zone, formattingLocale(language, salonLocale), messagesFor(language), now);
}

/**
 * An owner_alert outbox row → the prompt to send (the salon's language). Throws when its data is
 * neither a low-stock alert nor a daily summary (the worker records that as the failure).
 */
export function renderOwnerAlert(message: Pick<OutboundMessage, "data">, now: Date): Prompt {
  const parsed = ownerAlert.safeParse(message.data);
  if (!parsed.success) throw new Error(`The owner alert's data cannot be rendered: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  const data = parsed.data;
  const language = pickLocale(null, data.salonLocale);
  const messages = messagesFor(language);
  if (data.alert === "low_stock") {
    const text = t(messages, "ownerLowStock", { salon: data.salonName, product: data.productName, stock: data.stockOnHand, unit: data.unit, threshold: data.threshold });
    return { text, choices: [{ id: OWNER_CHOICES.delivery(data.productId), label: messages.ownerRecordDelivery }] };
  }
  const format = ownerFormatter(language, data.salonLocale, data.zone, now);
  const text = t(messages, "ownerDailySummary", {
    salon: data.salonName,
    date: format.longDate(data.date),
    bookings: data.bookings,
    free: data.freeSlots,
    takings: format.price(data.yesterdayNetMinor, data.currency),
  });
  return { text, choices: [{ id: OWNER_CHOICES.agenda, label: messages.ownerAgendaButton }] };
}

/** A day agenda as one message: a line per booking ("09:00 Ada Lovelace: Haircut with Maja"). */
export function renderAgenda(agenda: DayAgenda, language: Language, now: Date): Prompt {
  const messages = messagesFor(language);
  const format = ownerFormatter(language, agenda.salonLocale, agenda.zone, now);
  const date = format.longDate(agenda.date);
  if (agenda.entries.length === 0) return { text: t(messages, "ownerAgendaEmpty", { salon: agenda.salonName, date }) };
  const line = (e: AgendaEntry) =>
    t(messages, "ownerAgendaLine", { time: format.time(e.startsAt), client: e.clientName ?? messages.ownerNoClient, service: e.serviceName, staff: e.staffName });
  const lines = agenda.entries.map(line);
  // Telegram's limit is 4096 characters; a salon's day fits, but never send a message it refuses.
  let text = [t(messages, "ownerAgendaTitle", { salon: agenda.salonName, date }), ...lines].join("\n");
  if (text.length > 4000) text = `${text.slice(0, 3990)}\n…`;
  return { text };
}
