/**
 * A salon's web chat settings, validated with zod before any factory of the plugin runs. None are
 * needed: with no app id the channel serves only the salon's own booking-page widget. The schema
 * lives in core (core/src/channels/credentials.ts) with the other messengers'; this module keeps
 * the plugin's names for it.
 */
export { webchatCredentialsSchema, type WebchatCredentials } from "@chairside/core";
