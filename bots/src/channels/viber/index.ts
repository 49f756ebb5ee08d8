/**
 * Viber through its REST Bot API, called with plain fetch (https://developers.viber.com/docs/api/rest-bot-api/).
 * Not the `viber-bot` SDK: its signature check reads a header name Node never produces, it has
 * no base-URL option, and it leaks the welcome message into later responses (see
 * ../shared/notes/stack.md).
 *
 * The server uses `viberPlugin` (credentials schema, channel, webhook handler) and, at start,
 * once the HTTP server listens, `setViberWebhook(credentials, "<PUBLIC_URL>/webhooks/viber/<slug>")`.
 */
import type { ChannelPlugin } from "../plugin.js";
import { viberCredentialsSchema, type ViberCredentials } from "./credentials.js";
import { ViberChannel } from "./viber.channel.js";
import { createViberWebhookHandler } from "./webhook.js";

export { callViber, EVENT_TYPES, setViberWebhook, ViberApiError } from "./api.js";
export { DEFAULT_VIBER_API_URL, MAX_SENDER_NAME, viberCredentialsSchema, type ViberCredentials } from "./credentials.js";
export { parseCallback, parseViberJson, quoteMessageTokens, type ParsedCallback } from "./parse.js";
export { combinePrompts, renderPrompt, renderPrompts } from "./render.js";
export { signBody, SIGNATURE_HEADER, verifySignature } from "./verify.js";
export { ViberChannel } from "./viber.channel.js";
export { createViberWebhookHandler, MAX_BODY_BYTES } from "./webhook.js";

/** The Viber channel plugin: name "viber", webhook at `/webhooks/viber/<salon slug>`. */
export const viberPlugin: ChannelPlugin<ViberCredentials> = {
  name: "viber",
  credentialsSchema: viberCredentialsSchema,
  createChannel: ({ credentials, log, fetch }) => new ViberChannel(credentials, log, fetch),
  createWebhookHandler: (deps) => createViberWebhookHandler(deps),
};
