/**
 * Prompt → Telegram sendMessage parameters, within Telegram's limits: text up to 4096
 * characters, callback_data up to 64 bytes, about 100 inline buttons and 8 per row
 * (https://core.telegram.org/bots/api#sendmessage, #inlinekeyboardmarkup).
 */
import type { ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove } from "grammy/types";
import type { Choice, Prompt } from "../../conversation/types.js";

/** Longest message text Telegram accepts. */
export const MAX_TEXT = 4096;
/** Most inline buttons we put on one message. */
export const MAX_BUTTONS = 100;
/** Longest button label we send. */
export const MAX_LABEL = 64;

/** What `sendMessage` needs besides the chat. */
export interface RenderedMessage {
  text: string;
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;
}

const label = (text: string) => (text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text);

/** Buttons per row for labels up to this long: 4 for times ("09:15"), 3 for days ("Wed 6 Mar"), 2, else 1. */
function perRow(longest: number): number {
  if (longest <= 6) return 4;
  if (longest <= 10) return 3;
  if (longest <= 20) return 2;
  return 1;
}

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
};

/**
 * Lays choices out in rows: the options first, as many per row as their longest label allows;
 * navigation (Back, Menu, Later) after them, up to 3 per row.
 */
export function layout<T>(choices: readonly Choice[], button: (c: Choice) => T): T[][] {
  const nav = choices.filter((c) => c.nav);
  const options = choices.filter((c) => !c.nav).slice(0, MAX_BUTTONS - nav.length);
  const longest = Math.max(0, ...options.map((c) => [...c.label].length));
  return [...chunk(options.map(button), perRow(longest)), ...chunk(nav.map(button), 3)];
}

function inline(choice: Choice): InlineKeyboardButton {
  if (Buffer.byteLength(choice.id, "utf8") > 64) throw new Error(`callback_data over 64 bytes: ${choice.id}`);
  return { text: label(choice.label), callback_data: choice.id };
}

/**
 * Renders a prompt. Choices become an inline keyboard. `requestContact` becomes a one-time reply
 * keyboard: the share-contact button, then the choices as plain text buttons (pressing one sends
 * its label as text, which the conversation matches). `removeKeyboard` hides that keyboard;
 * Telegram cannot combine it with an inline keyboard, so choices win when both are set.
 */
export function renderPrompt(prompt: Prompt): RenderedMessage {
  const text = prompt.text.length > MAX_TEXT ? `${prompt.text.slice(0, MAX_TEXT - 1)}…` : prompt.text;
  if (prompt.requestContact) {
    const keyboard: KeyboardButton[][] = [[{ text: label(prompt.requestContact.label), request_contact: true }]];
    keyboard.push(...layout(prompt.choices ?? [], (c): KeyboardButton => ({ text: label(c.label) })));
    return { text, reply_markup: { keyboard, one_time_keyboard: true, resize_keyboard: true } };
  }
  if (prompt.choices && prompt.choices.length > 0) {
    return { text, reply_markup: { inline_keyboard: layout(prompt.choices, inline) } };
  }
  if (prompt.removeKeyboard) return { text, reply_markup: { remove_keyboard: true } };
  return { text };
}
