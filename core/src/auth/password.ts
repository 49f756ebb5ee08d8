import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";

/** Shortest password accepted, in characters. */
export const PASSWORD_MIN_LENGTH = 10;
/** Longest password accepted, in characters (caps the hashing work an attacker can ask for). */
export const PASSWORD_MAX_LENGTH = 200;

/** A new password: 10 to 200 characters. Forms may use it to show field errors before submitting. */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`);

/**
 * Hashes a password with argon2id and the library's defaults (19 MiB, 2 passes, 1 lane: the OWASP
 * baseline, https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
 * Returns the PHC string ("$argon2id$v=19$m=19456,t=2,p=1$...").
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** True when `password` matches the PHC `passwordHash`; false on a mismatch or a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies `password` against a throwaway hash and returns false, so that a sign-in for an unknown
 * email (or an account without a password) costs as much time as a wrong password.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hash("chairside-dummy-password-for-timing");
  await verifyPassword(await dummyHash, password);
  return false;
}
