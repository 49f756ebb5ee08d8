/**
 * A salon's Viber bot credentials, validated with zod before any factory of the plugin runs. The
 * schema lives in core (core/src/channels/credentials.ts) so the admin's Settings → Channels
 * validates with the same rules; this module keeps the plugin's names for it. Rules from the Viber
 * REST Bot API (https://developers.viber.com/docs/api/rest-bot-api/).
 */
export {
  DEFAULT_VIBER_API_URL,
  VIBER_MAX_SENDER_NAME as MAX_SENDER_NAME,
  VIBER_DEFAULT_SENDER_NAME as DEFAULT_SENDER_NAME,
  viberCredentialsSchema,
  type ViberCredentials,
} from "@chairside/core";
