/**
 * The two checks that make a WhatsApp webhook request trustworthy, as pure functions over the raw
 * request (no parsing happens before them):
 *
 * - the verification handshake: a GET with hub.mode=subscribe, hub.verify_token, hub.challenge
 *   (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests,
 *   https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks);
 * - the payload signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>`
 *   (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads).
 *
 * whatsapp-api-js has both (`WhatsAppAPI.get` and `verifyRequestSignature`), but its signature
 * check takes the body as a string and compares through WebCrypto, and its `post` handles only the
 * first message of the first entry. Checking the raw bytes here with `crypto.timingSafeEqual`
 * keeps the constant-time comparison explicit and lets the handler process whole batches.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** The header Meta signs every webhook POST with. */
export const SIGNATURE_HEADER = "x-hub-signature-256";

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Meta signs "an escaped unicode version of the payload, with lowercase hex digits" (äöå →
 * \u00e4\u00f6\u00e5). Payloads arrive escaped already; this covers a body that arrives unescaped.
 */
export function escapeUnicode(text: string): string {
  return text.replace(/[^\0-~]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function hmac(secret: string, data: Buffer | string): Buffer {
  return createHmac("sha256", secret).update(data).digest();
}

/**
 * True when `header` is `sha256=<hex>` and the hex is the HMAC-SHA256 of the raw body keyed with
 * the app secret (of the bytes as received, or of their unicode-escaped form when the body holds
 * non-ASCII bytes). Constant-time; false for a missing or malformed header. Never throws.
 */
export function verifySignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  if (typeof header !== "string" || !appSecret) return false;
  const match = SIGNATURE.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1]!, "hex");
  if (timingSafeEqual(given, hmac(appSecret, rawBody))) return true;
  const ascii = rawBody.every((byte) => byte < 0x80);
  return !ascii && timingSafeEqual(given, hmac(appSecret, escapeUnicode(rawBody.toString("utf8"))));
}

/** The signature header value Meta would send for `rawBody` (for fakes and tests). */
export function signPayload(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${hmac(appSecret, rawBody).toString("hex")}`;
}

/** Compares two strings in constant time (both are hashed first, so lengths leak nothing). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The outcome of a verification GET. */
export type ChallengeResult = { ok: true; challenge: string } | { ok: false; status: 400 | 403; reason: string };

/** Longest hub.challenge we echo (Meta sends a short number). */
const MAX_CHALLENGE = 256;

/**
 * Checks a verification request's query: hub.mode must be "subscribe" and hub.verify_token must
 * equal `verifyToken` (constant time) → the challenge to echo; otherwise 403 (400 when the
 * challenge itself is missing or oversized).
 */
export function checkChallenge(query: URLSearchParams, verifyToken: string): ChallengeResult {
  const mode = query.get("hub.mode");
  const token = query.get("hub.verify_token");
  const challenge = query.get("hub.challenge");
  if (mode !== "subscribe" || token === null || !verifyToken || !safeEqual(token, verifyToken)) {
    return { ok: false, status: 403, reason: "hub.mode or hub.verify_token does not match" };
  }
  if (!challenge || challenge.length > MAX_CHALLENGE) return { ok: false, status: 400, reason: "hub.challenge is missing or too long" };
  return { ok: true, challenge };
}
