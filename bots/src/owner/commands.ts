/**
 * The owner's commands and buttons as text (pure): what `/pair`, `/agenda`, `/unpair` and the
 * owner buttons' callback data look like, and the quantity an owner types. Owner button ids all
 * start with "own:" so the router can tell them from the client conversation's.
 */

/** The prefix of every owner button's callback data. */
export const OWNER_CHOICE_PREFIX = "own:";

/** Ids of the owner buttons. */
export const OWNER_CHOICES = {
  agenda: "own:agenda",
  confirm: "own:yes",
  cancel: "own:no",
  /** "own:dlv:<product id>": record a delivery of this product. */
  delivery: (productId: string) => `own:dlv:${productId}`,
} as const;

/** An owner command typed in a chat. */
export type OwnerCommand =
  /** `/pair CODE` or the deep link `/start pair_CODE`; `code` is "" when none was given. */
  | { kind: "pair"; code: string }
  | { kind: "agenda" }
  | { kind: "unpair" };

const COMMAND = /^\/(pair|agenda|unpair)(?:@\w+)?(?:\s+(.*))?$/is;
const DEEP_LINK = /^\/start(?:@\w+)?\s+pair_([A-Za-z0-9-]{1,32})\s*$/;

/** The owner command in a message's text, or null (anything else, /start without pair_ included). */
export function parseOwnerCommand(text: string): OwnerCommand | null {
  const trimmed = text.trim();
  const link = DEEP_LINK.exec(trimmed);
  if (link) return { kind: "pair", code: link[1]! };
  const m = COMMAND.exec(trimmed);
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  if (name === "pair") return { kind: "pair", code: (m[2] ?? "").trim() };
  return name === "agenda" ? { kind: "agenda" } : { kind: "unpair" };
}

/** True for callback data of an owner button. */
export function isOwnerChoice(data: string | undefined): boolean {
  return data !== undefined && data.startsWith(OWNER_CHOICE_PREFIX);
}

/** The product id of a "Record delivery" button's data, or null. */
export function deliveryProductOf(data: string): string | null {
  const m = /^own:dlv:([0-9a-f-]{36})$/i.exec(data);
  return m ? m[1]! : null;
}

/** Largest delivery one message may record. */
export const MAX_DELIVERY = 100_000;

/** A typed delivery quantity: a whole number 1..MAX_DELIVERY ("12", " 12 "), else null ("0", "1.5", "twelve"). */
export function parseQuantity(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,6}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= MAX_DELIVERY ? n : null;
}
