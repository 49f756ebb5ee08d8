/**
 * An outbox message → the prompt a channel sends: the kind's text from the i18n catalogue (or the
 * salon's own text for it) in the client's language, times in the salon's zone, and the buttons
 * the conversation understands (the 1 h reminder's Confirm / Reschedule / Cancel, re-activation's
 * Book). Channels render the prompt within their own limits.
 */
import type { NotificationAction, OutboundMessage } from "@chairside/core";
import { z } from "zod";
import { bookingChoiceId, globalId } from "../conversation/ids.js";
import { Formatter } from "../conversation/format.js";
import type { Choice, Prompt } from "../conversation/types.js";
import { formattingLocale, messagesFor, pickLocale, type MessageKey, type Messages } from "../i18n/index.js";

/** The catalogue text of each client message kind. */
const TEXT_OF: Record<string, MessageKey> = {
  confirmation: "notifyConfirmation",
  rescheduled: "notifyRescheduled",
  cancelled: "notifyCancelled",
  reminder_24h: "notifyReminder24h",
  reminder_1h: "notifyReminder1h",
  thank_you: "notifyThankYou",
  reactivation: "notifyReactivation",
  birthday: "notifyBirthday",
};

/** The button labels of the actions a message may carry. */
const ACTION_LABEL: Record<NotificationAction, MessageKey> = { confirm: "confirmYes", reschedule: "reschedule", cancel: "cancel" };

/** What a client message's data must hold to be rendered (BookingMessageData / ClientMessageData). */
const dataSchema = z.object({
  salonName: z.string(),
  zone: z.string(),
  salonLocale: z.string(),
  clientLocale: z.string().nullish(),
  clientName: z.string(),
  bookingId: z.string().optional(),
  serviceName: z.string().optional(),
  staffName: z.string().optional(),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  reviewUrl: z.string().optional(),
  actions: z.array(z.enum(["confirm", "reschedule", "cancel"])).optional(),
  /** Owner alerts and other free-form messages carry their text. */
  text: z.string().optional(),
});

/** `{placeholder}`s of `text` filled from `params`; unknown ones stay visible. */
function fill(text: string, params: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? params[name]! : whole));
}

/**
 * Renders a message for sending. Throws when its data cannot be rendered (a malformed row): the
 * worker records that as the failure's reason.
 */
export function renderNotification(message: OutboundMessage, now: Date): Prompt {
  const parsed = dataSchema.safeParse(message.data);
  if (!parsed.success) throw new Error(`The ${message.kind} message's data cannot be rendered: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  const data = parsed.data;
  const language = pickLocale(data.clientLocale, data.salonLocale);
  const messages: Messages = messagesFor(language);
  const format = new Formatter(data.zone, formattingLocale(language, data.salonLocale), messages, now);
  const startsAt = data.startsAt ? new Date(data.startsAt) : null;
  const params: Record<string, string> = {
    name: data.clientName,
    salon: data.salonName,
    service: data.serviceName ?? "",
    staff: data.staffName ?? "",
    date: startsAt ? format.longDateOf(startsAt) : "",
    time: startsAt ? format.time(startsAt) : "",
    reviewUrl: data.reviewUrl ?? "",
  };
  const key = message.kind === "thank_you" && data.reviewUrl ? "notifyThankYouReview" : TEXT_OF[message.kind];
  const own = message.textOverrides[language];
  const template = own ?? (key ? messages[key] : data.text);
  if (template === undefined) throw new Error(`No text for messages of kind ${message.kind}`);
  let text = fill(template, params);
  if (own && message.kind === "thank_you" && data.reviewUrl && !own.includes("{reviewUrl}")) text = `${text}\n${data.reviewUrl}`;

  const choices: Choice[] = [];
  if (data.bookingId) {
    for (const action of data.actions ?? []) choices.push({ id: bookingChoiceId(action, data.bookingId), label: messages[ACTION_LABEL[action]] });
  }
  if (message.kind === "reactivation") choices.push({ id: globalId("book"), label: messages.menuBook });
  return choices.length > 0 ? { text, choices } : { text };
}
