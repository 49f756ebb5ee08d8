/**
 * The words that opt a client out, on any channel: the whole message, trimmed, any case, with
 * trailing punctuation ignored ("STOP", "stop!", "Stop all", "СТОП"). A longer sentence that merely
 * contains "stop" is not an opt-out.
 */

/** Recognised opt-out messages, lower case (English, Danish, Norwegian/Swedish, German, French, Russian/Ukrainian). */
export const STOP_WORDS: readonly string[] = [
  "stop",
  "stop all",
  "stopall",
  "unsubscribe",
  "stopp",
  "stoppen",
  "afmeld",
  "arrêt",
  "arret",
  "стоп",
];

const WORDS = new Set(STOP_WORDS);

/** True when `text` is an opt-out message (see STOP_WORDS). */
export function isStopCommand(text: string): boolean {
  if (text.length > 40) return false;
  const normalised = text
    .normalize("NFC")
    .trim()
    .toLocaleLowerCase()
    .replace(/^\/+/, "")
    .replace(/[\s.!?,;:]+$/u, "")
    .replace(/\s+/gu, " ");
  return WORDS.has(normalised);
}
