/**
 * Choice ids: what a button carries back. At most 64 bytes (Telegram callback_data,
 * https://core.telegram.org/bots/api#inlinekeyboardbutton).
 *
 *   g:<action>               global (main menu): always valid
 *   b:<action>:<bookingId>   one booking: valid while the booking is active
 *   s:<version>:<action>[:<arg>]   one step: valid only while the state has that version
 */

/** Global actions: the main menu. */
export type GlobalAction = "book" | "my" | "menu";
/** Actions on one booking from "My bookings" (and the reminder's buttons: "confirm" = I will come). */
export type BookingAction = "reschedule" | "cancel" | "confirm";
/** Actions inside one step. */
export type StepAction = "svc" | "stf" | "day" | "more" | "less" | "t" | "ok" | "back" | "yes" | "no" | "name";

/** A parsed choice id. */
export type ChoiceRef =
  | { scope: "global"; action: GlobalAction }
  | { scope: "booking"; action: BookingAction; bookingId: string }
  | { scope: "step"; version: number; action: StepAction; arg?: string };

/** Telegram's limit on callback_data, in bytes. */
export const MAX_CHOICE_ID_BYTES = 64;

const GLOBAL: readonly GlobalAction[] = ["book", "my", "menu"];
const BOOKING: Record<string, BookingAction> = { r: "reschedule", c: "cancel", k: "confirm" };
const BOOKING_LETTER: Record<BookingAction, string> = { reschedule: "r", cancel: "c", confirm: "k" };
const STEP: readonly StepAction[] = ["svc", "stf", "day", "more", "less", "t", "ok", "back", "yes", "no", "name"];

function checked(id: string): string {
  if (Buffer.byteLength(id, "utf8") > MAX_CHOICE_ID_BYTES) throw new Error(`Choice id over ${MAX_CHOICE_ID_BYTES} bytes: ${id}`);
  return id;
}

/** The id of a global choice. */
export function globalId(action: GlobalAction): string {
  return `g:${action}`;
}

/** The id of a choice about one booking. */
export function bookingChoiceId(action: BookingAction, bookingId: string): string {
  return checked(`b:${BOOKING_LETTER[action]}:${bookingId}`);
}

/** The id of a choice valid only at state `version`. `arg` must not contain ":". */
export function stepId(version: number, action: StepAction, arg?: string): string {
  return checked(arg === undefined ? `s:${version}:${action}` : `s:${version}:${action}:${arg}`);
}

/** Parses a choice id; null when it is not one of ours (forged, or from an older release). */
export function parseChoiceId(id: string): ChoiceRef | null {
  const parts = id.split(":");
  if (parts[0] === "g" && parts.length === 2) {
    const action = GLOBAL.find((a) => a === parts[1]);
    return action ? { scope: "global", action } : null;
  }
  if (parts[0] === "b" && parts.length === 3) {
    const action = BOOKING[parts[1] ?? ""];
    return action && parts[2] ? { scope: "booking", action, bookingId: parts[2] } : null;
  }
  if (parts[0] === "s" && (parts.length === 3 || parts.length === 4) && /^\d{1,9}$/.test(parts[1] ?? "")) {
    const action = STEP.find((a) => a === parts[2]);
    if (!action) return null;
    const ref: ChoiceRef = { scope: "step", version: Number(parts[1]), action };
    return parts.length === 4 ? { ...ref, arg: parts[3] } : ref;
  }
  return null;
}

/** A compact code for an instant on the minute grid: epoch minutes in base 36 ("vkl2c0"). */
export function encodeInstant(instant: Date): string {
  return Math.floor(instant.getTime() / 60_000).toString(36);
}

/** The instant of `encodeInstant`, or null for a malformed code. */
export function decodeInstant(code: string | undefined): Date | null {
  if (!code || !/^[0-9a-z]{1,10}$/.test(code)) return null;
  return new Date(parseInt(code, 36) * 60_000);
}
