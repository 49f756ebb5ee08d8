/**
 * The Viber REST Bot API over plain fetch (https://developers.viber.com/docs/api/rest-bot-api/):
 * `POST <apiUrl>/<method>` with a JSON body and the `X-Viber-Auth-Token` header; every answer is
 * HTTP 200 with `{ status, status_message, ... }`, where `status` 0 means ok and anything else is
 * an error (2 invalidAuthToken, 3 badData, 6 receiverNotSubscribed, 12 tooManyRequests, ...).
 * Responses are parsed with `parseViberJson`, so a `message_token` keeps all its digits.
 */
import { z } from "zod";
import type { ViberCredentials } from "./credentials.js";
import { parseViberJson } from "./parse.js";

/** The header that carries the authentication token on every API request. */
export const AUTH_HEADER = "X-Viber-Auth-Token";

/** How long one API call may take before it is abandoned, ms. */
export const API_TIMEOUT_MS = 15_000;

/** The methods the channel calls. */
export type ViberMethod = "send_message" | "set_webhook" | "get_account_info";

/**
 * Viber refused a call, or it did not answer properly. `status` is Viber's code (-1 for an HTTP
 * or format failure) and `statusMessage` its text; neither ever contains the auth token.
 */
export class ViberApiError extends Error {
  override readonly name = "ViberApiError";
  constructor(
    readonly method: ViberMethod,
    readonly status: number,
    readonly statusMessage: string,
  ) {
    super(`Viber ${method} failed: status ${status} (${statusMessage})`);
  }
}

const answerSchema = z.looseObject({ status: z.number().int(), status_message: z.string().optional() });

/**
 * Calls one API method and returns the answer's fields (status 0). Throws `ViberApiError` for a
 * status other than 0, an HTTP error or a body that is not Viber's JSON; network errors and the
 * timeout reject as fetch does.
 */
export async function callViber(
  credentials: Pick<ViberCredentials, "authToken" | "apiUrl">,
  method: ViberMethod,
  body: object,
  fetchFn: typeof fetch = fetch,
): Promise<Record<string, unknown>> {
  const res = await fetchFn(`${credentials.apiUrl}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", [AUTH_HEADER]: credentials.authToken },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(API_TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) throw new ViberApiError(method, -1, `HTTP ${res.status}`);
  let data: unknown;
  try {
    data = parseViberJson(text);
  } catch {
    throw new ViberApiError(method, -1, "the answer is not JSON");
  }
  const answer = answerSchema.safeParse(data);
  if (!answer.success) throw new ViberApiError(method, -1, "the answer has no status");
  if (answer.data.status !== 0) throw new ViberApiError(method, answer.data.status, answer.data.status_message ?? "unknown");
  return answer.data;
}

/** The optional callbacks the bot asks for (`message` and `webhook` always come). */
export const EVENT_TYPES = ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"] as const;

/**
 * Registers `url` as the bot's webhook (https://developers.viber.com/docs/api/rest-bot-api/#setting-a-webhook).
 * Viber answers only after it posted a signed `webhook` event to `url` and got 200 back, so the
 * HTTP server must already be listening with the Viber webhook mounted when this is called.
 * Viber accepts only https URLs with a certificate from a trusted CA. Returns the event types
 * Viber confirmed. Throws `ViberApiError` (e.g. status 1 invalidUrl, 2 invalidAuthToken).
 */
export async function setViberWebhook(
  credentials: Pick<ViberCredentials, "authToken" | "apiUrl">,
  url: string,
  fetchFn: typeof fetch = fetch,
): Promise<{ eventTypes: string[] }> {
  const answer = await callViber(credentials, "set_webhook", { url, event_types: EVENT_TYPES, send_name: true, send_photo: false }, fetchFn);
  const eventTypes = z.array(z.string()).catch([]).parse(answer.event_types);
  return { eventTypes };
}
