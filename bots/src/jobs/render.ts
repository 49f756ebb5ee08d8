/**
 * An outbox message → the prompt a channel sends: the kind's text from the i18n catalogue (or the
 * salon's own text for it) in the client's language, times in the salon's zone, and the buttons
 * the conversation understands (the 1 h reminder's Confirm / Reschedule / Cancel, re-activation's
 * Book). Channels render the prompt within their own limits.
 */
import { DeliveryError, type MessageTemplateView, type NotificationAction, type OutboundMessage, type TemplateParameter } from "@chairside/core";
import { z } from "zod";
import type { RenderedTemplate } from "../channels/channel.js";
import { bookingChoiceId, globalId } from "../conversation/ids.js";
import { Formatter } from "../conversation/format.js";
import type { Choice, Prompt } from "../conversation/types.js";
import { formattingLocale, messagesFor, pickLocale, type MessageKey, type Messages } from "../i18n/index.js";
import { renderOwnerAlert } from "../owner/render.js";

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
  // Owner alerts (low stock, daily summary) that carry no text of their own: the owner module renders them.
  if (message.kind === "owner_alert" && typeof message.data.alert === "string") return renderOwnerAlert(message, now);
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

/**
 * The salon's template for a message with its parameters filled, in the template's order: the
 * client's name, the service, the appointment's date ("Monday 29 March", the catalogue's long
 * date) and time ("10:00", 24-hour) in the salon's zone, the staff member, the salon. Month and
 * day names are in the template's language, formatted in the salon's locale when it speaks that
 * language. Quick replies become the conversation's booking choice ids (what a tap sends back).
 * Throws a permanent DeliveryError when a parameter has no value for this message (WhatsApp
 * refuses empty parameters), or the data cannot be rendered.
 */
export function renderTemplate(message: OutboundMessage, template: MessageTemplateView, now: Date): RenderedTemplate {
  const parsed = dataSchema.safeParse(message.data);
  if (!parsed.success) throw new DeliveryError(`The ${message.kind} message's data cannot be rendered: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`, true);
  const data = parsed.data;
  const language = pickLocale(template.language.split("_")[0], data.salonLocale);
  const format = new Formatter(data.zone, formattingLocale(language, data.salonLocale), messagesFor(language), now);
  const startsAt = data.startsAt ? new Date(data.startsAt) : null;
  const values: Record<TemplateParameter, string | undefined> = {
    client_name: data.clientName,
    service: data.serviceName,
    date: startsAt ? format.longDateOf(startsAt) : undefined,
    time: startsAt ? format.time(startsAt) : undefined,
    staff: data.staffName,
    salon: data.salonName,
  };
  const body = template.parameters.map((p) => {
    // WhatsApp refuses new lines, tabs and runs of spaces in a parameter (error 132018).
    const value = values[p]?.replace(/\s+/g, " ").trim();
    if (!value) throw new DeliveryError(`template ${template.name} needs the ${p.replace("_", " ")}, which a ${message.kind} message does not have`, true);
    return value;
  });
  const quickReplies = template.quickReplies.map((action) => {
    if (!data.bookingId) throw new DeliveryError(`template ${template.name} has a ${action} button, but a ${message.kind} message is about no booking`, true);
    return bookingChoiceId(action, data.bookingId);
  });
  return { name: template.name, language: template.language, body, quickReplies };
}
