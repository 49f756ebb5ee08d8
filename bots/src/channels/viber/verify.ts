/**
 * Callback signatures. Viber signs every callback it posts to the webhook:
 * `X-Viber-Content-Signature` is the hex HMAC-SHA256 of the raw request body, keyed with the
 * account's authentication token
 * (https://developers.viber.com/docs/api/rest-bot-api/#callbacks, "Signature").
 * Checked on the raw bytes, in constant time, before anything parses the body.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** The header Viber puts the signature in (Node lower-cases header names; `req.get` matches either). */
export const SIGNATURE_HEADER = "X-Viber-Content-Signature";

/** The hex HMAC-SHA256 of `body` keyed with `authToken`: what Viber sends in `X-Viber-Content-Signature`. */
export function signBody(body: Buffer | string, authToken: string): string {
  return createHmac("sha256", authToken).update(body).digest("hex");
}

/**
 * True when `signature` (the header's value, or undefined when missing) is the signature of
 * `body`. Hex letters in either case are accepted; anything but 64 hex digits is false. The
 * comparison of the digests is constant-time.
 */
export function verifySignature(body: Buffer, signature: string | undefined, authToken: string): boolean {
  if (signature === undefined) return false;
  const given = signature.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = Buffer.from(signBody(body, authToken), "hex");
  return timingSafeEqual(Buffer.from(given, "hex"), expected);
}
