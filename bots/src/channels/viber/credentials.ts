/**
 * A salon's Viber bot credentials, validated with zod before any factory of the plugin runs.
 * Rules from the Viber REST Bot API (https://developers.viber.com/docs/api/rest-bot-api/):
 * every request carries the account's authentication token in `X-Viber-Auth-Token`, the same
 * token keys the HMAC of `X-Viber-Content-Signature` on callbacks, and `sender.name` is at most
 * 28 characters.
 */
import { z } from "zod";

/** Viber's production API base URL (https://developers.viber.com/docs/api/rest-bot-api/#send-message). */
export const DEFAULT_VIBER_API_URL = "https://chatapi.viber.com/pa";

/** Longest `sender.name` Viber accepts (https://developers.viber.com/docs/api/rest-bot-api/#general-send-message-parameters). */
export const MAX_SENDER_NAME = 28;

/** What the bot is called in chats when the server passes no name. */
export const DEFAULT_SENDER_NAME = "Chairside";

/** The resolved credentials of one salon's Viber bot. */
export interface ViberCredentials {
  /** The account's authentication token (Viber admin panel → "Edit info"). Secret: never logged. */
  authToken: string;
  /** REST API base URL without a trailing slash (default: Viber's; a local fake in tests). */
  apiUrl: string;
  /** The sender name on every message, at most 28 characters (longer names are shortened with "…"). The server passes the salon name. */
  senderName: string;
  /**
   * The language of labels the channel adds by itself (the "More…" paging button), BCP 47.
   * The server passes the salon's locale; default English.
   */
  locale: string;
}

const shorten = (name: string) => ([...name].length > MAX_SENDER_NAME ? `${[...name].slice(0, MAX_SENDER_NAME - 1).join("")}…` : name);

/**
 * zod schema of `ViberCredentials`: `authToken` is required (a webhook without it could not
 * verify anything), `apiUrl` must be http(s) and loses its trailing slash, `senderName` is
 * trimmed and shortened to 28 characters.
 */
export const viberCredentialsSchema: z.ZodType<ViberCredentials> = z.object({
  authToken: z
    .string({ error: "The Viber authentication token is missing: set VIBER_AUTH_TOKEN, or add the token in Settings → Channels." })
    .trim()
    .min(10, { error: "The Viber authentication token is too short: copy it again from the Viber admin panel (Edit info → Token)." })
    .regex(/^[\x21-\x7e]+$/, { error: "The Viber authentication token contains spaces or unusual characters: copy it again from the Viber admin panel." }),
  apiUrl: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { error: "The Viber API URL must be an http(s) URL, e.g. https://chatapi.viber.com/pa." })
    .transform((v) => v.replace(/\/+$/, ""))
    .default(DEFAULT_VIBER_API_URL),
  senderName: z
    .string()
    .trim()
    .transform((v) => shorten(v))
    .pipe(z.string().min(1, { error: "The Viber sender name must not be empty." }))
    .default(DEFAULT_SENDER_NAME),
  locale: z.string().trim().min(2).max(35).default("en"),
});
