/**
 * Prompt → Viber `send_message` body, within Viber's rules
 * (https://developers.viber.com/docs/api/rest-bot-api/#send-message and
 * https://developers.viber.com/docs/tools/keyboards/):
 * - text messages carry at most 7000 characters; `tracking_data` at most 4096;
 * - a keyboard is a grid 6 columns wide (`Columns` 1–6 per button); the client shows only the LAST
 *   keyboard it received, so every prompt with choices carries its keyboard, and a batch of prompts
 *   puts all its buttons on its last message;
 * - a button's `Text` is at most 250 characters and may contain a few HTML tags (so labels are
 *   escaped); pressing a `reply` button sends its `ActionBody` back as a text message; a
 *   `share-phone` button sends the user's own phone number as a `contact` message.
 *
 * Pages: more choices than one keyboard page holds (12 rows, 24 buttons) get a "More…" button
 * whose `ActionBody` is `page:<n>`. Everything needed to draw the other pages (the title, the
 * choices, the labels) travels in the message's `tracking_data`, which Viber passes back with the
 * user's reply, so any server instance can draw page n without stored state (`renderPage`).
 */
import { z } from "zod";
import type { Choice, Prompt } from "../../conversation/types.js";

/** Longest text message Viber accepts, in characters. */
export const MAX_TEXT = 7000;
/** Longest `tracking_data`, in characters. */
export const MAX_TRACKING_DATA = 4096;
/** Longest button `Text` Viber accepts, in characters. */
export const MAX_BUTTON_TEXT = 250;
/** Longest label we put on a button (a full-width button shows about this much on a phone). */
export const MAX_LABEL = 40;
/** Keyboard width in columns. */
export const COLUMNS = 6;
/** Rows of one keyboard page (what a phone shows in portrait without scrolling far). */
export const MAX_ROWS = 12;
/** Buttons on one keyboard page. */
export const MAX_BUTTONS = 24;
/** Most choices one prompt can have on Viber (over all pages); more are dropped. */
export const MAX_CHOICES = 48;
/**
 * `min_api_version` of every message: the keyboard features we use (`share-phone`, `Silent`) need
 * API levels above 1 (share-phone: level 3+); level 7 is what the project targets.
 */
export const MIN_API_VERSION = 7;
/** `ActionBody` of the share-phone button (Viber requires one; desktop clients, which cannot share, send it as text). */
export const SHARE_PHONE_BODY = "share-phone";
/** `ActionBody` prefix of the "More…" button: `page:<n>`. Never a choice id (those start with g:, s: or b:). */
export const PAGE_PREFIX = "page:";

/** A keyboard button as Viber takes it. */
export interface ViberButton {
  Columns: number;
  Rows: 1;
  ActionType: "reply" | "share-phone";
  ActionBody: string;
  Text: string;
  /** Reply buttons: do not echo the ActionBody (a choice id) into the chat as the user's message. */
  Silent?: boolean;
}

/** A keyboard as Viber takes it. */
export interface ViberKeyboard {
  Type: "keyboard";
  /** false: short keyboards take only the height they need. */
  DefaultHeight: false;
  Buttons: ViberButton[];
}

/** The part of a `send_message` body (and of the welcome message) that render produces. */
export interface ViberTextMessage {
  type: "text";
  text: string;
  keyboard?: ViberKeyboard;
  /** The paging state of a keyboard with more than one page. */
  tracking_data?: string;
}

/** Labels the channel adds by itself, in the language of the salon or the client. */
export interface ChannelLabels {
  /** The paging button, e.g. "More…". */
  more: string;
}

/** Everything needed to draw any page of one keyboard; JSON in `tracking_data`. */
export interface KeyboardPages {
  /** The prompt's title (its last paragraph), repeated above every further page. */
  t: string;
  /** The options: [choice id, label]. */
  o: [string, string][];
  /** Navigation (Back, Menu): on every page. */
  n: [string, string][];
  /** The share-phone button's label, when the prompt asks for the phone. */
  c?: string;
  /** The paging button's label. */
  m: string;
}

const pagesSchema = z.object({
  t: z.string().max(MAX_TEXT),
  o: z.array(z.tuple([z.string().min(1).max(64), z.string()])).max(MAX_CHOICES),
  n: z.array(z.tuple([z.string().min(1).max(64), z.string()])).max(6),
  c: z.string().optional(),
  m: z.string().min(1),
});

const shorten = (text: string, max: number) => ([...text].length > max ? `${[...text].slice(0, max - 1).join("")}…` : text);

/** Escapes the characters Viber would read as HTML in a button's Text. */
export function escapeButtonText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const buttonText = (label: string) => shorten(escapeButtonText(shorten(label, MAX_LABEL)), MAX_BUTTON_TEXT);

/** Buttons per row for labels up to this long: 3 for times and days, 2 for short phrases, else full width. */
export function perRow(longest: number): number {
  if (longest <= 10) return 3;
  if (longest <= 20) return 2;
  return 1;
}

/** Splits into rows of `size` and gives each button of a row an equal share of the 6 columns. */
function rows(buttons: Omit<ViberButton, "Columns">[], size: number): ViberButton[] {
  const out: ViberButton[] = [];
  for (let i = 0; i < buttons.length; i += size) {
    const row = buttons.slice(i, i + size);
    for (const b of row) out.push({ Columns: COLUMNS / row.length, ...b });
  }
  return out;
}

const reply = (body: string, label: string): Omit<ViberButton, "Columns"> => ({
  Rows: 1,
  ActionType: "reply",
  ActionBody: body,
  Text: buttonText(label),
  Silent: true,
});

/** How many options fit on one page next to `navCount` navigation buttons (and the share-phone button). */
function optionsPerPage(perRowCount: number, navCount: number, contact: boolean): number {
  const navRows = Math.ceil(navCount / 3);
  const rowsLeft = MAX_ROWS - navRows - (contact ? 1 : 0);
  const buttonsLeft = MAX_BUTTONS - navCount - (contact ? 1 : 0);
  return Math.max(1, Math.min(rowsLeft * perRowCount, buttonsLeft));
}

/** The number of pages of a keyboard and the options per page. */
export function paging(pages: KeyboardPages): { count: number; perPage: number } {
  const longest = Math.max(0, ...pages.o.map(([, label]) => [...label].length));
  const each = perRow(longest);
  const single = optionsPerPage(each, pages.n.length, pages.c !== undefined);
  if (pages.o.length <= single) return { count: 1, perPage: single };
  const perPage = optionsPerPage(each, pages.n.length + 1, pages.c !== undefined);
  return { count: Math.ceil(pages.o.length / perPage), perPage };
}

/** The keyboard of page `page` (0-based; out of range wraps round). */
function keyboardOf(pages: KeyboardPages, page: number): { keyboard: ViberKeyboard; count: number; page: number } {
  const { count, perPage } = paging(pages);
  const current = ((page % count) + count) % count;
  const options = pages.o.slice(current * perPage, (current + 1) * perPage);
  const longest = Math.max(0, ...pages.o.map(([, label]) => [...label].length));
  const nav = pages.n.map(([id, label]) => reply(id, label));
  // The last page's "More…" goes back to the first: every option stays reachable in a loop.
  if (count > 1) nav.unshift(reply(`${PAGE_PREFIX}${(current + 1) % count}`, pages.m));
  const buttons: ViberButton[] = [];
  if (pages.c !== undefined) buttons.push({ Columns: COLUMNS, Rows: 1, ActionType: "share-phone", ActionBody: SHARE_PHONE_BODY, Text: buttonText(pages.c) });
  buttons.push(...rows(options.map(([id, label]) => reply(id, label)), perRow(longest)), ...rows(nav, 3));
  return { keyboard: { Type: "keyboard", DefaultHeight: false, Buttons: buttons }, count, page: current };
}

const lastParagraph = (text: string) => text.split(/\n\s*\n/).at(-1)?.trim() ?? text;

/**
 * The paging state of a prompt, or null when it has no buttons. Labels are shortened, at most 6
 * navigation choices and 48 options are kept, and options are dropped from the end until the JSON
 * fits Viber's 4096-character `tracking_data`.
 */
export function pagesOf(prompt: Prompt, labels: ChannelLabels): KeyboardPages | null {
  const choices = prompt.choices ?? [];
  if (choices.length === 0 && !prompt.requestContact) return null;
  const entry = (c: Choice): [string, string] => [c.id, shorten(c.label, MAX_LABEL)];
  const pages: KeyboardPages = {
    t: shorten(lastParagraph(prompt.text), 200),
    o: choices.filter((c) => !c.nav).slice(0, MAX_CHOICES).map(entry),
    n: choices.filter((c) => c.nav).slice(0, 6).map(entry),
    ...(prompt.requestContact ? { c: shorten(prompt.requestContact.label, MAX_LABEL) } : {}),
    m: shorten(labels.more, MAX_LABEL),
  };
  while (pages.o.length > 0 && JSON.stringify(pages).length > MAX_TRACKING_DATA) pages.o.pop();
  return pages;
}

/** Reads the paging state back from `tracking_data`; null when it is not ours or malformed. */
export function parsePages(trackingData: string | undefined): KeyboardPages | null {
  if (!trackingData || trackingData.length > MAX_TRACKING_DATA) return null;
  try {
    const parsed = pagesSchema.safeParse(JSON.parse(trackingData));
    if (!parsed.success) return null;
    const { c, ...rest } = parsed.data;
    return c === undefined ? rest : { ...rest, c };
  } catch {
    return null;
  }
}

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/**
 * Renders one prompt: its text (at most 7000 characters) and, when it has choices or asks for the
 * phone, its keyboard's first page: the share-phone button first (full width), the options (3, 2
 * or 1 per row by label length), then navigation and the "More…" button, up to 3 per row.
 * Multi-page keyboards carry their paging state in `tracking_data`.
 */
export function renderPrompt(prompt: Prompt, labels: ChannelLabels): ViberTextMessage {
  const text = clip(prompt.text);
  const pages = pagesOf(prompt, labels);
  if (!pages) return { type: "text", text };
  const { keyboard, count } = keyboardOf(pages, 0);
  return { type: "text", text, keyboard, ...(count > 1 ? { tracking_data: JSON.stringify(pages) } : {}) };
}

/** Page `page` of a paged keyboard (after the user pressed "More…"): the title with "(2/3)", the buttons of that page. */
export function renderPage(pages: KeyboardPages, page: number): ViberTextMessage {
  const { keyboard, count, page: current } = keyboardOf(pages, page);
  const text = clip(`${pages.t || "…"} (${current + 1}/${count})`);
  return { type: "text", text, keyboard, ...(count > 1 ? { tracking_data: JSON.stringify(pages) } : {}) };
}

const KEYCAPS = ["0️⃣", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"];
const marker = (n: number) => KEYCAPS[n] ?? `${n}.`;

/** Puts `mark` in front of the last paragraph ("Your bookings:\n\n1️⃣ Haircut …"). */
function markText(text: string, mark: string): string {
  const paragraphs = text.split(/\n\s*\n/);
  paragraphs[paragraphs.length - 1] = `${mark} ${paragraphs.at(-1) ?? ""}`;
  return paragraphs.join("\n\n");
}

/**
 * Adapts a batch of prompts to Viber's single visible keyboard: the batch's last message carries
 * every button. When two or more prompts have buttons, each earlier one is numbered (1️⃣, 2️⃣, …)
 * in its text and on its buttons ("1️⃣ Reschedule"), so the user can tell whose buttons they are.
 * Only the latest share-phone request is kept. Plain prompts pass through unchanged.
 */
export function combinePrompts(prompts: readonly Prompt[]): Prompt[] {
  const keyed = prompts.flatMap((p, i) => ((p.choices?.length ?? 0) > 0 || p.requestContact ? [i] : []));
  const lastIndex = prompts.length - 1;
  if (keyed.length === 0 || (keyed.length === 1 && keyed[0] === lastIndex)) return [...prompts];
  const out: Prompt[] = prompts.map((p) => ({ text: p.text }));
  const choices: Choice[] = [];
  let requestContact: Prompt["requestContact"];
  const numbered = keyed.length >= 2;
  keyed.forEach((index, position) => {
    const prompt = prompts[index]!;
    const isLast = position === keyed.length - 1;
    const mark = numbered && !isLast ? marker(position + 1) : null;
    if (mark) out[index] = { text: markText(prompt.text, mark) };
    choices.push(...(prompt.choices ?? []).map((c) => (mark ? { ...c, label: `${mark} ${c.label}` } : c)));
    if (prompt.requestContact) requestContact = prompt.requestContact;
  });
  const last = out[lastIndex]!;
  out[lastIndex] = { ...last, ...(choices.length > 0 ? { choices } : {}), ...(requestContact ? { requestContact } : {}) };
  return out;
}

/** A batch of prompts as Viber messages, in order (`combinePrompts`, then `renderPrompt` each). */
export function renderPrompts(prompts: readonly Prompt[], labels: ChannelLabels): ViberTextMessage[] {
  return combinePrompts(prompts).map((p) => renderPrompt(p, labels));
}
