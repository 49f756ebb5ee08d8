/**
 * The message catalogues: one file per language, English first. Adding a language is a new file
 * typed `Messages` plus one line in `CATALOGUES`; no conversation or channel code changes.
 */
import { da } from "./da.js";
import { en, type MessageKey, type Messages } from "./en.js";

export type { MessageKey, Messages } from "./en.js";

/** Every language with a catalogue, by primary language subtag (BCP 47). */
export const CATALOGUES = { en, da } satisfies Record<string, Messages>;

/** A language the bot speaks. */
export type Language = keyof typeof CATALOGUES;

/** The fallback when neither the client's nor the salon's language has a catalogue. */
export const DEFAULT_LANGUAGE: Language = "en";

function primary(tag: string | null | undefined): string | undefined {
  const sub = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return sub ? sub : undefined;
}

function isLanguage(tag: string | undefined): tag is Language {
  return tag !== undefined && Object.hasOwn(CATALOGUES, tag);
}

/**
 * The language to talk in: the client's own (e.g. Telegram's `language_code` "da" or "pt-br")
 * when we have it, else the salon's locale ("da-DK"), else English.
 */
export function pickLocale(clientLanguage: string | null | undefined, salonLocale: string | null | undefined): Language {
  const client = primary(clientLanguage);
  if (isLanguage(client)) return client;
  const salon = primary(salonLocale);
  if (isLanguage(salon)) return salon;
  return DEFAULT_LANGUAGE;
}

/** The catalogue of a language. */
export function messagesFor(language: Language): Messages {
  return CATALOGUES[language];
}

/**
 * The BCP 47 tag for formatting dates and money in `language`: the salon's locale when it is the
 * same language (keeps its region, "da-DK"), else the bare language.
 */
export function formattingLocale(language: Language, salonLocale: string | null | undefined): string {
  return primary(salonLocale) === language && salonLocale ? salonLocale : language;
}

/**
 * The message `key` with `{placeholder}`s replaced from `params`. A placeholder without a value
 * stays as written, so a forgotten parameter shows up in tests instead of vanishing.
 */
export function t(messages: Messages, key: MessageKey, params: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
