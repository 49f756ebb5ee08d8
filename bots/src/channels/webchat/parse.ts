/**
 * Bot Framework Activities → conversation input. Wire format: the Activity schema
 * (https://github.com/microsoft/Agents/blob/main/specs/activity/protocol-activity.md, formerly
 * botframework-sdk/specs/botframework-activity). Parsed with `Activity.fromObject` from
 * @microsoft/agents-activity (the library's own schema), then narrowed with zod to what we read.
 *
 * - `message` with `value.choiceId` (our suggested actions are `messageBack` buttons) or with a
 *   text that is a choice id (channels that degrade messageBack to imBack) → `choice`; other text → `text`;
 *   a message with only attachments (images, files) → `unsupported`.
 * - `conversationUpdate` adding a member who is not the bot → `start` (the greeting and the menu).
 * - `typing`, `endOfConversation`, `conversationUpdate` adding only the bot or removing members,
 *   `installationUpdate` and `trace`: nothing (no answer is expected; answering each typing
 *   indicator would flood the chat).
 * - any other type (`messageReaction`, `event`, `invoke`, `messageUpdate`, ...) → `unsupported`:
 *   the conversation answers with a polite text and the menu.
 *
 * Chat and user ids. The widget's conversations have ids issued by this server ("wc_…"); their chat
 * id is that id, and so is the user id: `from.id` is chosen by the browser and must never pick an
 * identity (and so someone else's bookings). Azure Bot Service conversations get the chat id
 * "az_" + base64url(SHA-256(serviceUrl, channelId, conversation.id)) (ids of Teams exceed our
 * 128 characters); their user is `<channelId>:<from.id>`, vouched for by the channel, except on
 * Azure's Web Chat and Direct Line, where `from.id` is again the browser's choice and the chat id
 * is used. Event ids are `<chat id>:<activity id>`: a retried Activity is stored once, and one
 * conversation cannot collide with another's ids.
 */
import { createHash } from "node:crypto";
import { Activity } from "@microsoft/agents-activity";
import { WIDGET_CONVERSATION_ID } from "@chairside/core";
import { z } from "zod";
import type { ConversationEvent, Profile } from "../../conversation/types.js";
import type { InboundMessage } from "../channel.js";

/** The longest Activity id we accept (the inbox key is `<chat id>:<activity id>`, at most 256). */
export const MAX_ACTIVITY_ID = 128;

const account = z.object({ id: z.string().min(1).max(512), name: z.string().max(1000).nullish() });

/** The fields of an Activity the channel reads; the rest passes through untouched. */
const activitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().min(1).max(MAX_ACTIVITY_ID),
  serviceUrl: z.string().max(2048).optional(),
  channelId: z.string().min(1).max(64).default("webchat"),
  from: account.optional(),
  recipient: account.optional(),
  conversation: z.object({ id: z.string().min(1).max(1024) }).loose(),
  locale: z.string().max(35).nullish(),
  text: z.string().max(10_000).nullish(),
  value: z.unknown().optional(),
  attachments: z.array(z.unknown()).max(50).nullish(),
  membersAdded: z.array(account).max(100).nullish(),
});

/** An Activity as the webhook reads it. */
export type InboundActivity = z.infer<typeof activitySchema>;

/** A choice id as the conversation makes them (g:…, s:…, b:…), at most 64 bytes. */
const CHOICE_ID = /^[gsb]:\S+$/;
const isChoiceId = (v: unknown): v is string => typeof v === "string" && CHOICE_ID.test(v) && Buffer.byteLength(v, "utf8") <= 64;

/** Types that expect no answer from the bot (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-activities). */
const SILENT_TYPES = new Set(["typing", "endOfConversation", "installationUpdate", "trace", "contactRelationUpdate"]);

/** Channels on which `from.id` is chosen by the browser: the user is bound to the conversation. */
const BROWSER_CHANNELS = new Set(["webchat", "directline", "emulator", "test"]);

/** True for the id of a conversation this server opened for its widget. */
export function isWidgetConversation(conversationId: string): boolean {
  return WIDGET_CONVERSATION_ID.test(conversationId);
}

/** The chat id of an Activity's conversation (see the file comment). */
export function chatIdOf(activity: Pick<InboundActivity, "conversation" | "serviceUrl" | "channelId">): string {
  const id = activity.conversation.id;
  if (isWidgetConversation(id)) return id;
  const digest = createHash("sha256").update(`${activity.serviceUrl ?? ""}\n${activity.channelId}\n${id}`, "utf8").digest("base64url");
  return `az_${digest}`;
}

function userIdOf(activity: InboundActivity, chatId: string): string {
  if (isWidgetConversation(activity.conversation.id) || BROWSER_CHANNELS.has(activity.channelId) || !activity.from) return chatId;
  const id = `${activity.channelId}:${activity.from.id}`;
  return id.length <= 128 ? id : `${activity.channelId.slice(0, 20)}:${createHash("sha256").update(activity.from.id).digest("base64url")}`;
}

function eventOf(activity: InboundActivity): ConversationEvent | null {
  switch (activity.type) {
    case "message": {
      const value = activity.value as { choiceId?: unknown } | null | undefined;
      if (value && typeof value === "object" && isChoiceId(value.choiceId)) return { kind: "choice", id: value.choiceId };
      const text = activity.text?.trim() ?? "";
      if (isChoiceId(text)) return { kind: "choice", id: text };
      if (text) return { kind: "text", text: activity.text ?? "" };
      return { kind: "unsupported" };
    }
    case "conversationUpdate": {
      const botId = activity.recipient?.id;
      return (activity.membersAdded ?? []).some((m) => m.id !== botId) ? { kind: "start" } : null;
    }
    default:
      return SILENT_TYPES.has(activity.type) ? null : { kind: "unsupported" };
  }
}

/** One parsed Activity: the validated fields, its chat, and the conversation input (none for silent types). */
export interface ParsedActivity {
  activity: InboundActivity;
  chatId: string;
  /** "widget": a conversation of our booking-page widget; "azure": one from Azure Bot Service. */
  origin: "widget" | "azure";
  messages: InboundMessage[];
}

/**
 * Parses one Activity (an object, or the raw body as a string or Buffer). Returns null when the
 * body is not JSON, not an Activity by the library's schema, or lacks what we need (`type`, `id`,
 * `conversation.id`): the webhook answers 400. Never throws.
 */
export function parseActivity(payload: unknown): ParsedActivity | null {
  let data = payload;
  if (typeof payload === "string" || Buffer.isBuffer(payload)) {
    try {
      data = JSON.parse(typeof payload === "string" ? payload : payload.toString("utf8"));
    } catch {
      return null;
    }
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return null;
  try {
    Activity.fromObject(data);
  } catch {
    return null;
  }
  const parsed = activitySchema.safeParse(data);
  if (!parsed.success) return null;
  const activity = parsed.data;
  const chatId = chatIdOf(activity);
  const origin = isWidgetConversation(activity.conversation.id) ? "widget" : "azure";
  const event = eventOf(activity);
  if (!event) return { activity, chatId, origin, messages: [] };
  const name = activity.from?.name?.trim();
  const profile: Profile = { ...(name ? { name: name.slice(0, 100) } : {}), ...(activity.locale ? { languageCode: activity.locale } : {}) };
  const message: InboundMessage = { chatId, userId: userIdOf(activity, chatId), eventId: `${chatId}:${activity.id}`, profile, event };
  return { activity, chatId, origin, messages: [message] };
}

/** The conversation input of one Activity (Channel.parse): never throws; malformed gives none. */
export function parseMessages(payload: unknown): InboundMessage[] {
  return parseActivity(payload)?.messages ?? [];
}
