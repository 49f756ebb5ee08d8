/**
 * Prompt → WhatsApp Cloud API messages, within the documented limits, built with whatsapp-api-js's
 * message classes (which check the same limits again when constructed). Pure.
 *
 * - No choices: text messages, body ≤ 4096 characters, longer texts split at paragraph, line or
 *   word breaks. https://developers.facebook.com/docs/whatsapp/cloud-api/messages/text-messages
 * - 1–3 choices: interactive reply buttons: title ≤ 20 characters and unique, id ≤ 256, body ≤ 1024.
 *   https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
 * - 4–10 choices: an interactive list: button label ≤ 20, row title ≤ 24, row description ≤ 72,
 *   row id ≤ 200, at most 10 rows in total.
 *   https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
 * - More than 10 choices: paged as further messages of the same sequence (see `renderPrompt`).
 *
 * Interactive bodies are kept to 1024 characters for lists as well (the reply-button limit, and
 * the limit whatsapp-api-js's `Body` enforces); a longer text goes first as text messages, and the
 * interactive message carries its last paragraph(s). Lengths are counted in UTF-16 code units, as
 * the library does, and never split a surrogate pair.
 */
import { ActionButtons, ActionList, Body, Button, Interactive, ListSection, Row, Text } from "whatsapp-api-js/messages";
import type { Choice, Prompt } from "../../conversation/types.js";

/** The limits this renderer keeps (WhatsApp Cloud API, see the links above). */
export const LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  listButton: 20,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
} as const;

/** The channel's own words, from the i18n catalogue of the prompt's language. */
export interface RenderLabels {
  /** The list button ("Choose"). */
  choose: string;
  /** The text of each further message when the choices need more than one list ("More…"). */
  more: string;
}

/** One message to send: the Graph API `type` and the object under that key. */
export type RenderedMessage = { type: "text"; text: Text } | { type: "interactive"; interactive: Interactive };

const SEPARATORS = ["\n\n", "\n", " "] as const;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** `text` cut to at most `max` code units, ending in "…" when it was cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** Splits `text` into chunks of at most `max` code units, at a paragraph, line or word break where one is near. */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = -1;
    for (const sep of SEPARATORS) {
      const at = rest.lastIndexOf(sep, max - sep.length);
      if (at >= max / 2) {
        cut = at;
        break;
      }
    }
    if (cut < 0) cut = isHighSurrogate(rest.charCodeAt(max - 1)) ? max - 1 : max;
    const chunk = rest.slice(0, cut).trimEnd();
    if (chunk) chunks.push(chunk);
    rest = rest.slice(cut).trimStart();
  }
  if (rest || chunks.length === 0) chunks.push(rest);
  return chunks;
}

/**
 * Splits a text for an interactive message: `body` is the end of the text (≤ `max`, starting at a
 * break where one is near), `lead` the rest as text messages. The question stays next to its buttons.
 */
export function splitForInteractive(text: string, max: number = LIMITS.interactiveBody): { lead: string[]; body: string } {
  if (text.length <= max) return { lead: [], body: text };
  const earliest = text.length - max;
  let start = -1;
  for (const sep of SEPARATORS) {
    const at = text.indexOf(sep, Math.max(0, earliest - sep.length));
    if (at >= 0 && at + sep.length <= text.length - max / 2) {
      start = at + sep.length;
      break;
    }
  }
  if (start < 0) start = isLowSurrogate(text.charCodeAt(earliest)) ? earliest + 1 : earliest;
  return { lead: splitText(text.slice(0, start).trimEnd(), LIMITS.textBody), body: text.slice(start).trimStart() };
}

/**
 * Titles for `labels`, each at most `max` code units and all different: whitespace folded, long
 * ones shortened with "…", repeats numbered ("Anna", "Anna (2)").
 */
export function uniqueTitles(labels: readonly string[], max: number): string[] {
  const used = new Set<string>();
  return labels.map((label) => {
    const clean = label.replace(/\s+/g, " ").trim() || "…";
    let title = shorten(clean, max);
    for (let n = 2; used.has(title); n++) {
      const suffix = ` (${n})`;
      title = `${shorten(clean, max - suffix.length)}${suffix}`;
    }
    used.add(title);
    return title;
  });
}

function checkId(id: string, max: number): string {
  if (id.length === 0 || id.length > max) throw new Error(`A choice id must have 1 to ${max} characters, got ${id.length}: ${id.slice(0, 40)}`);
  return id;
}

/**
 * A list row for a label: short labels as they are; a long label "Name · 30 min · DKK 300.00" as
 * title "Name" and description "30 min · DKK 300.00"; any other long label shortened, with the
 * whole label as the description.
 */
function rowText(label: string): { title: string; description?: string } {
  const clean = label.replace(/\s+/g, " ").trim();
  if (clean.length <= LIMITS.rowTitle) return { title: clean };
  const [head, ...tail] = clean.split(" · ");
  if (tail.length > 0 && head && head.length <= LIMITS.rowTitle) return { title: head, description: shorten(tail.join(" · "), LIMITS.rowDescription) };
  return { title: clean, description: shorten(clean, LIMITS.rowDescription) };
}

function buttonsMessage(body: string, choices: readonly Choice[]): RenderedMessage {
  const titles = uniqueTitles(
    choices.map((c) => c.label),
    LIMITS.buttonTitle,
  );
  const buttons = choices.map((c, i) => new Button(checkId(c.id, LIMITS.buttonId), titles[i]!));
  return { type: "interactive", interactive: new Interactive(new ActionButtons(...(buttons as [Button, ...Button[]])), new Body(body)) };
}

function listMessage(body: string, button: string, choices: readonly Choice[], titles: readonly string[], descriptions: readonly (string | undefined)[]): RenderedMessage {
  const rows = choices.map((c, i) => new Row(checkId(c.id, LIMITS.rowId), titles[i]!, descriptions[i]));
  const section = new ListSection(undefined, ...(rows as [Row, ...Row[]]));
  return { type: "interactive", interactive: new Interactive(new ActionList(shorten(button, LIMITS.listButton), section), new Body(body)) };
}

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * Renders one prompt as the messages to send, in order. Choices keep the conversation's ids, so a
 * press comes back as exactly that id (nothing to store, any server instance can take it).
 *
 * Paging (more than 10 choices, e.g. a day with 30 free times): the options, then the navigation
 * choices (Back, Menu), go into lists of 10 rows, sent one after the other in the same sequence;
 * the first list carries the prompt's text, each further one the catalogue's "More…" text. A last
 * page of at most 3 choices becomes reply buttons instead of a short list. WhatsApp keeps earlier
 * lists usable, so every choice is one tap away, and no "More" round trip is needed.
 *
 * `requestContact` needs no button on WhatsApp (the sender's phone is their wa_id): the prompt is
 * sent as its text and choices. `removeKeyboard` has nothing to remove and is ignored.
 */
export function renderPrompt(prompt: Prompt, labels: RenderLabels): RenderedMessage[] {
  const text = prompt.text.trim();
  const choices = [...(prompt.choices ?? []).filter((c) => !c.nav), ...(prompt.choices ?? []).filter((c) => c.nav)];
  if (choices.length === 0) {
    return text ? splitText(text, LIMITS.textBody).map((t) => ({ type: "text", text: new Text(t) })) : [];
  }
  const { lead, body } = splitForInteractive(text || labels.more);
  const out: RenderedMessage[] = lead.map((t) => ({ type: "text", text: new Text(t) }));
  if (choices.length <= LIMITS.buttons) {
    out.push(buttonsMessage(body, choices));
    return out;
  }
  const rows = choices.map((c) => rowText(c.label));
  const titles = uniqueTitles(
    rows.map((r) => r.title),
    LIMITS.rowTitle,
  );
  const descriptions = rows.map((r) => r.description);
  const pages = chunk(
    choices.map((c, i) => ({ choice: c, title: titles[i]!, description: descriptions[i] })),
    LIMITS.listRows,
  );
  pages.forEach((page, p) => {
    const pageBody = p === 0 ? body : labels.more;
    if (p > 0 && page.length <= LIMITS.buttons) {
      out.push(buttonsMessage(pageBody, page.map((r) => r.choice)));
      return;
    }
    out.push(
      listMessage(
        pageBody,
        labels.choose,
        page.map((r) => r.choice),
        page.map((r) => r.title),
        page.map((r) => r.description),
      ),
    );
  });
  return out;
}
