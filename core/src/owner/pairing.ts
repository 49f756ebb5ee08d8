/**
 * Pairing codes (pure): 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), so a
 * code read off a screen is typed right; about 40 bits, single use, 15 minutes, and guesses are
 * rate-limited per chat. Only the sha256 of a code is stored.
 */
import { createHash, randomInt } from "node:crypto";

/** The characters of a pairing code. */
export const PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/** Characters in a code. */
export const PAIRING_CODE_LENGTH = 8;

/** A new random code (crypto.randomInt, uniform over the alphabet). */
export function newPairingCode(): string {
  let code = "";
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return code;
}

/**
 * What a person typed, as a code: upper-cased, spaces and dashes dropped ("k7qx-2mpa" → "K7QX2MPA").
 * Null when it cannot be a code (wrong length or characters): no database lookup, no guess counted.
 */
export function normalizePairingCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== PAIRING_CODE_LENGTH) return null;
  for (const c of code) if (!PAIRING_ALPHABET.includes(c)) return null;
  return code;
}

/** The stored form of a (normalized) code: hex sha256. */
export function hashPairingCode(code: string): string {
  return createHash("sha256").update(`chairside-pair:${code}`).digest("hex");
}
