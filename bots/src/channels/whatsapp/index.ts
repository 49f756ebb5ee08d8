/**
 * The WhatsApp Cloud API channel plugin: credentials schema, the channel (send prompts and
 * templates) and the per-salon webhook (verification GET, signed POSTs).
 * https://developers.facebook.com/docs/whatsapp/cloud-api
 */
import type { ChannelPlugin } from "../plugin.js";
import { whatsappCredentialsSchema, type WhatsAppCredentials } from "./credentials.js";
import { WhatsAppChannel } from "./whatsapp.channel.js";
import { createWhatsAppWebhook } from "./webhook.js";

export { DEFAULT_GRAPH_URL, whatsappCredentialsSchema, type WhatsAppCredentials } from "./credentials.js";
export { WhatsAppApiError, WhatsAppChannel } from "./whatsapp.channel.js";
export { MAX_BODY_BYTES } from "./webhook.js";

/** WhatsApp as a ChannelPlugin: `name` "whatsapp", webhook at /webhooks/whatsapp/<salon slug>. */
export const whatsappPlugin: ChannelPlugin<WhatsAppCredentials> = {
  name: "whatsapp",
  credentialsSchema: whatsappCredentialsSchema,
  createChannel: ({ credentials, log, fetch }) => new WhatsAppChannel(credentials, log, fetch),
  createWebhookHandler: ({ credentials, log, deliver }) => createWhatsAppWebhook({ credentials, log, deliver }),
};
