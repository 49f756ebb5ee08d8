/**
 * A salon's Telegram bot credentials, validated with zod before the plugin's factories run. The
 * schema lives in core (core/src/channels/credentials.ts) so the admin's Settings → Channels
 * validates with the same rules; this module keeps the plugin's names for it.
 * https://core.telegram.org/bots/api#authorizing-your-bot (token), #setwebhook (secret_token).
 */
export {
  TELEGRAM_BOT_TOKEN_PATTERN as BOT_TOKEN_PATTERN,
  TELEGRAM_WEBHOOK_SECRET_PATTERN as WEBHOOK_SECRET_PATTERN,
  DEFAULT_TELEGRAM_API_ROOT as DEFAULT_API_ROOT,
  telegramCredentialsSchema,
  type TelegramCredentials,
} from "@chairside/core";
