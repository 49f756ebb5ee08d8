/**
 * A salon's Telegram bot credentials, validated with zod before the plugin's factories run.
 * https://core.telegram.org/bots/api#authorizing-your-bot (token), #setwebhook (secret_token).
 */
import { z } from "zod";

/** Telegram bot token as @BotFather issues it. https://core.telegram.org/bots/api#authorizing-your-bot */
export const BOT_TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]{30,}$/;
/** secret_token of setWebhook: 1-256 of A-Z a-z 0-9 _ -. https://core.telegram.org/bots/api#setwebhook */
export const WEBHOOK_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
/** The Bot API server when none is configured. */
export const DEFAULT_API_ROOT = "https://api.telegram.org";

/** zod schema of `TelegramCredentials`; messages say where the value comes from. */
export const telegramCredentialsSchema = z.object({
  /** The bot token. Secret: never logged. */
  token: z
    .string({ error: "The Telegram bot token is missing: set TELEGRAM_BOT_TOKEN, or add the token in Settings → Channels." })
    .trim()
    .regex(BOT_TOKEN_PATTERN, {
      error: "The Telegram bot token does not look like one (digits, a colon, then 30+ letters, digits, _ or -): copy it again from @BotFather.",
    }),
  /** Bot API server without a trailing slash (a self-hosted one, or a fake in tests). */
  apiRoot: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/\S+$/.test(v), { error: "The Telegram API root must be an http(s) URL, e.g. https://api.telegram.org." })
    .transform((v) => v.replace(/\/+$/, ""))
    .default(DEFAULT_API_ROOT),
  /** The webhook's secret_token; required in webhook mode (with a public URL), unused with long polling. Secret. */
  webhookSecret: z
    .string()
    .regex(WEBHOOK_SECRET_PATTERN, { error: "The Telegram webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -." })
    .optional(),
});

/** One salon's Telegram credentials, after validation and defaults. */
export type TelegramCredentials = z.output<typeof telegramCredentialsSchema>;
