/**
 * Prompt → Bot Framework message Activities
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-create-messages).
 *
 * Choices become suggested actions
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-add-suggested-actions):
 * `messageBack` buttons whose `value` is `{ choiceId }`, whose `displayText` (the label) is what
 * the chat shows as the user's message, and whose `text` is the choice id too, for channels that
 * send messageBack as imBack. Suggested actions disappear once the user answers, so a stale
 * button cannot be pressed. Limits per channel (botbuilder's `supportsSuggestedActions`,
 * https://github.com/microsoft/botbuilder-js/blob/main/libraries/botbuilder-dialogs/src/choices/channel.ts):
 * Web Chat, Direct Line, the Emulator and our widget show up to 100; Facebook and Skype 10; LINE 13;
 * Teams displays only the first 3
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/suggested-actions).
 * Where a prompt has more choices than a channel shows, they go on hero cards instead
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-add-rich-cards),
 * 6 buttons a card (Teams' most).
 *
 * Only the last activity of a batch carries suggested actions (clients show only the latest);
 * earlier prompts' choices move to it, as on Viber. A contact request has no button here (a web
 * page cannot vouch for a phone): the widget is told to offer a phone field
 * (`channelData.chairside.input = "tel"`), and a typed phone never links to anyone's bookings.
 */
import type { Choice, Prompt } from "../../conversation/types.js";

/** Longest text of one message activity, in characters (Teams takes about 28 KB; Direct Line 256 KB). */
export const MAX_TEXT = 10_000;
/** Longest button label we send, in characters (longer ones are shortened with "…"). */
export const MAX_LABEL = 40;
/** Buttons on one hero card (Teams shows at most 6). */
export const CARD_BUTTONS = 6;
/** Suggested actions the widget and Azure's Web Chat show. */
export const MAX_SUGGESTED_ACTIONS = 100;

/** How many suggested actions a channel shows, by Bot Framework channel id; unknown channels: 3. */
export function suggestedActionLimit(channelId: string): number {
  switch (channelId) {
    case "webchat":
    case "directline":
    case "directlinespeech":
    case "emulator":
    case "telegram":
    case "test":
      return MAX_SUGGESTED_ACTIONS;
    case "line":
      return 13;
    case "facebook":
    case "skype":
      return 10;
    default:
      return 3; // Teams shows 3; SMS and email show none, and then read the list in the text
  }
}

/** A suggested action or card button as we send it. */
export interface ChoiceAction {
  type: "messageBack";
  title: string;
  displayText: string;
  text: string;
  value: { choiceId: string };
}

/** A message Activity as this channel sends it (the connector adds ids, from and conversation). */
export interface OutgoingActivity {
  type: "message";
  text: string;
  textFormat: "plain";
  inputHint: "expectingInput" | "acceptingInput";
  suggestedActions?: { to?: string[]; actions: ChoiceAction[] };
  attachments?: { contentType: "application/vnd.microsoft.card.hero"; content: { buttons: ChoiceAction[] } }[];
  channelData?: { chairside: { input: "tel" } };
}

const shorten = (text: string, max: number) => ([...text].length > max ? `${[...text].slice(0, max - 1).join("")}…` : text);

/** One choice as a messageBack button. */
export function choiceAction(choice: Choice): ChoiceAction {
  const title = shorten(choice.label, MAX_LABEL);
  return { type: "messageBack", title, displayText: title, text: choice.id, value: { choiceId: choice.id } };
}

/** Splits text longer than MAX_TEXT at paragraph or line breaks where it can. */
function splitText(text: string): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > MAX_TEXT) {
    const window = rest.slice(0, MAX_TEXT);
    const cut = Math.max(window.lastIndexOf("\n\n"), window.lastIndexOf("\n"), window.lastIndexOf(" "));
    const at = cut > MAX_TEXT / 2 ? cut : MAX_TEXT;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  parts.push(rest);
  return parts;
}

/**
 * When two or more prompts of a batch have choices (My bookings: Reschedule and Cancel per
 * booking), all their buttons end up on the last message: every prompt but the last is numbered
 * ("1. Haircut …") and so are its buttons ("1. Reschedule"), so they stay apart.
 */
export function numberPrompts(prompts: readonly Prompt[]): Prompt[] {
  const keyed = prompts.flatMap((p, i) => ((p.choices?.length ?? 0) > 0 ? [i] : []));
  if (keyed.length < 2) return [...prompts];
  return prompts.map((p, i) => {
    const position = keyed.indexOf(i);
    if (position < 0 || position === keyed.length - 1) return p;
    const mark = `${position + 1}.`;
    return { ...p, text: `${mark} ${p.text}`, choices: (p.choices ?? []).map((c) => (c.nav ? c : { ...c, label: `${mark} ${c.label}` })) };
  });
}

/**
 * Renders a batch of prompts for a channel (`channelId`: "webchat" for the widget): one message
 * per prompt (more for texts over 10,000 characters); the batch's choices as suggested actions
 * on its last message, or as hero cards when the channel shows fewer than there are.
 */
export function renderActivities(batch: readonly Prompt[], channelId = "webchat"): OutgoingActivity[] {
  const prompts = numberPrompts(batch);
  // The same choice on two prompts (Menu) is one button.
  const choices = [...new Map(prompts.flatMap((p) => p.choices ?? []).map((c) => [c.id, c] as const)).values()];
  const wantsPhone = prompts.some((p) => p.requestContact);
  const out: OutgoingActivity[] = prompts.flatMap((p) =>
    splitText(p.text).map((text): OutgoingActivity => ({ type: "message", text, textFormat: "plain", inputHint: "acceptingInput" })),
  );
  const last = out.at(-1);
  if (!last) return out;
  if (choices.length > 0 || wantsPhone) last.inputHint = "expectingInput";
  if (wantsPhone) last.channelData = { chairside: { input: "tel" } };
  if (choices.length === 0) return out;
  const actions = choices.map(choiceAction);
  if (actions.length <= suggestedActionLimit(channelId)) {
    last.suggestedActions = { actions };
    return out;
  }
  const cards = [];
  for (let i = 0; i < actions.length; i += CARD_BUTTONS) cards.push({ contentType: "application/vnd.microsoft.card.hero" as const, content: { buttons: actions.slice(i, i + CARD_BUTTONS) } });
  last.attachments = cards;
  return out;
}

/** What in one outgoing activity breaks the limits above (tests and the contract suite); [] when nothing. */
export function activityViolations(activity: unknown, channelId = "webchat"): string[] {
  const a = activity as Partial<OutgoingActivity> | null;
  if (!a || a.type !== "message") return ["not a message activity"];
  const problems: string[] = [];
  if (typeof a.text !== "string" || a.text.length === 0) problems.push("no text");
  else if (a.text.length > MAX_TEXT) problems.push(`text of ${a.text.length} characters`);
  const suggested = a.suggestedActions?.actions ?? [];
  if (suggested.length > suggestedActionLimit(channelId)) problems.push(`${suggested.length} suggested actions`);
  const buttons = [...suggested, ...(a.attachments ?? []).flatMap((c) => c.content.buttons)];
  for (const card of a.attachments ?? []) if (card.content.buttons.length > CARD_BUTTONS) problems.push(`a card with ${card.content.buttons.length} buttons`);
  for (const b of buttons) {
    if (b.type !== "messageBack") problems.push(`button type ${b.type}`);
    if (!b.title || [...b.title].length > MAX_LABEL) problems.push(`button title "${b.title}"`);
    if (Buffer.byteLength(b.value?.choiceId ?? "", "utf8") > 64 || !b.value?.choiceId) problems.push(`button value ${JSON.stringify(b.value)}`);
  }
  const titles = suggested.map((b) => b.title);
  if (new Set(titles).size !== titles.length) problems.push("duplicate suggested action titles");
  return problems;
}
