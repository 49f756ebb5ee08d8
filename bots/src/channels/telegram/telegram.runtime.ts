/**
 * Starts one salon's Telegram bot: checks the token (getMe), registers /start, then either sets
 * the webhook (when the server has a public URL; the route itself is the server's
 * /webhooks/telegram/<slug>, see ./webhook.ts) or runs long polling. Long polling hands every
 * update to `deliver` like the webhook does (persist first): grammY confirms an update to
 * Telegram only after its handler resolved, so a crash before the inbox insert gets the update
 * again, and a crash after it leaves it in the inbox. Nothing else in the server knows grammY.
 */
import { DomainError } from "@chairside/core";
import { Bot, GrammyError } from "grammy";
import type { LanguageCode } from "grammy/types";
import type { Logger } from "../../conversation/types.js";
import { CATALOGUES, messagesFor, pickLocale } from "../../i18n/index.js";
import type { OwnerDesk } from "../../owner/desk.js";
import type { WebhookDelivery } from "../plugin.js";
import type { TelegramCredentials } from "./credentials.js";
import { TelegramOwner } from "./owner.js";
import { parseUpdate } from "./parse.js";

/** A running bot. */
export interface TelegramRuntime {
  mode: "polling" | "webhook";
  botUsername: string;
  /** The URL Telegram posts to (webhook mode). */
  webhookUrl?: string;
  /** Stops polling promptly (webhook mode: nothing; the webhook stays set so Telegram queues updates). */
  stop(): Promise<void>;
  /** Webhook mode: deletes the webhook (https://core.telegram.org/bots/api#deletewebhook), for a connection that was turned off. */
  disconnect?(): Promise<void>;
}

/** Update types the bot asks for. https://core.telegram.org/bots/api#getupdates */
export const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** How long start-up waits for the Bot API's getMe before giving up on Telegram, ms (grammY retries 5xx and network errors meanwhile). */
const INIT_TIMEOUT_MS = 20_000;
/** How often long polling tries to store an update before it gives up on it (the database is down). */
const DELIVER_ATTEMPTS = 5;

/** What failed, with the Bot API method and code when Telegram answered. */
export function describeTelegramError(e: unknown): string {
  if (e instanceof GrammyError) return `${e.method}: ${e.error_code} ${e.description}`;
  return e instanceof Error ? e.message : String(e);
}

/** A grammY bot for these credentials (`fetch` replaces the HTTP client, for tests). */
export function createBot(credentials: TelegramCredentials, fetchImpl?: typeof fetch): Bot {
  return new Bot(credentials.token, {
    client: { apiRoot: credentials.apiRoot, ...(fetchImpl ? { fetch: fetchImpl as never } : {}) },
  });
}

/**
 * Starts the bot of one salon. `webhookUrl` set: webhook mode (setWebhook with the secret;
 * without a secret this throws `config_invalid`: a webhook never runs unverified). Null: long
 * polling (deleteWebhook, then getUpdates until `stop()`), each update handed to `deliver`.
 * Throws `config_invalid` with what to do when Telegram refuses the token or cannot be reached.
 */
export async function startTelegram(options: {
  credentials: TelegramCredentials;
  salon: { slug: string; locale: string };
  webhookUrl: string | null;
  deliver(delivery: WebhookDelivery): Promise<void>;
  log: Logger;
  fetch?: typeof fetch;
  /** The salon's owner desk: owner updates are handled by it (./owner.ts) before the inbox sees them. */
  owner?: OwnerDesk;
  /** How long getMe may take, ms. Default 20 s. */
  checkTimeoutMs?: number;
}): Promise<TelegramRuntime> {
  const { credentials, log } = options;
  if (options.webhookUrl && !credentials.webhookSecret) {
    throw new DomainError(
      "config_invalid",
      "TELEGRAM_WEBHOOK_SECRET is required in webhook mode (PUBLIC_URL is set): set it, or remove PUBLIC_URL to use long polling",
    );
  }
  const bot = createBot(credentials, options.fetch);
  try {
    // getMe; bounded, so an unreachable Bot API cannot hold the whole start-up.
    // grammy types its signal with the abort-controller polyfill; the runtime takes a standard one.
    await bot.init(AbortSignal.timeout(options.checkTimeoutMs ?? INIT_TIMEOUT_MS) as unknown as Parameters<typeof bot.init>[0]);
  } catch (e) {
    const hint =
      e instanceof GrammyError && e.error_code === 401
        ? "Telegram refused the bot token (401 Unauthorized): copy it again from @BotFather into TELEGRAM_BOT_TOKEN"
        : `Could not reach the Telegram Bot API at ${credentials.apiRoot} (${describeTelegramError(e)})`;
    throw new DomainError("config_invalid", hint);
  }
  const botUsername = bot.botInfo.username;
  await registerCommands(bot, options.salon.locale, log);

  if (options.webhookUrl && credentials.webhookSecret) {
    await bot.api.setWebhook(options.webhookUrl, { secret_token: credentials.webhookSecret, allowed_updates: [...ALLOWED_UPDATES] });
    log.info("Telegram webhook set", { bot: botUsername, url: options.webhookUrl });
    return {
      mode: "webhook",
      botUsername,
      webhookUrl: options.webhookUrl,
      async stop() {},
      async disconnect() {
        await bot.api.deleteWebhook();
        log.info("Telegram webhook deleted", { bot: botUsername });
      },
    };
  }

  bot.catch((err) => log.error("Telegram update could not be stored", { updateId: err.ctx.update.update_id, error: describeTelegramError(err.error) }));
  // Owner commands, owner buttons and linked owners' chats; everything else goes on to the inbox.
  if (options.owner) bot.use(new TelegramOwner(options.owner, log).middleware() as never);
  bot.use(async (ctx) => {
    const delivery: WebhookDelivery = { messages: parseUpdate(ctx.update), statuses: [], notices: [] };
    // Retried a few times (a short database outage): the update is confirmed to Telegram only after this resolves.
    for (let attempt = 1; ; attempt++) {
      try {
        await options.deliver(delivery);
        return;
      } catch (e) {
        if (attempt >= DELIVER_ATTEMPTS || !bot.isRunning()) throw e;
        log.warn("Could not store a Telegram update; retrying", { updateId: ctx.update.update_id, attempt, error: describeTelegramError(e) });
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    bot
      .start({ allowed_updates: [...ALLOWED_UPDATES], onStart: () => resolve() })
      .catch((e: unknown) => {
        log.error("Telegram long polling stopped", { error: describeTelegramError(e) });
        reject(new DomainError("config_invalid", `Telegram long polling failed: ${describeTelegramError(e)}`));
      });
  });
  log.info("Telegram long polling started", { bot: botUsername });
  return {
    mode: "polling",
    botUsername,
    async stop() {
      if (bot.isRunning()) await bot.stop();
    },
  };
}

/** /start in the salon's language as the default, and in each language we speak for its speakers. */
async function registerCommands(bot: Bot, salonLocale: string, log: Logger): Promise<void> {
  try {
    const fallback = messagesFor(pickLocale(null, salonLocale));
    await bot.api.setMyCommands([{ command: "start", description: fallback.commandStart }]);
    for (const [language, messages] of Object.entries(CATALOGUES)) {
      await bot.api.setMyCommands([{ command: "start", description: messages.commandStart }], { language_code: language as LanguageCode });
    }
  } catch (e) {
    log.warn("Could not register the bot's commands", { error: describeTelegramError(e) });
  }
}
