/**
 * One salon's WhatsApp Cloud API credentials, validated with zod before the channel or its
 * webhook is created. The schema lives in core (core/src/channels/credentials.ts) so the admin's
 * Settings → Channels validates with the same rules; this module keeps the plugin's names for it.
 * Where each value comes from: https://developers.facebook.com/docs/whatsapp/cloud-api/get-started
 * (phone number id, access token), https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks
 * (verify token, app secret for X-Hub-Signature-256).
 */
export { DEFAULT_WHATSAPP_GRAPH_URL as DEFAULT_GRAPH_URL, whatsappCredentialsSchema, type WhatsAppCredentials } from "@chairside/core";
