import { createHash, randomBytes } from "node:crypto";

/** Length of a token from `newToken`: 32 bytes in base64url without padding. */
export const TOKEN_LENGTH = 43;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * A fresh secret for a session cookie or a one-time sign-in link: 32 random bytes (256 bits) as
 * base64url. Give it to the user once; store only `hashToken(token)`.
 */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The sha256 of a token, hex: what the database stores instead of the token itself. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** True when `value` could be a token from `newToken` (cheap check before touching the database). */
export function isTokenShaped(value: unknown): value is string {
  return typeof value === "string" && TOKEN_SHAPE.test(value);
}
