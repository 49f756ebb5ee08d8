/**
 * Starts the Telegram bot of one salon: long polling by default (works behind NAT with just a
 * token), or a webhook on the HTTP app when a public URL and a secret are given. main.ts calls
 * `startTelegram`; nothing else in the server knows grammY.
 */
import { timingSafeEqual } from "node:crypto";
import { createChatStores, DomainError, type Core, type TenantView } from "@chairside/core";
import express, { type Express, type RequestHandler } from "express";
import { Bot, GrammyError, webhookCallback } from "grammy";
import type { LanguageCode } from "grammy/types";
import { ConversationEngine } from "../../conversation/engine.js";
import { CATALOGUES, messagesFor, pickLocale } from "../../i18n/index.js";
import type { Logger } from "../../log.js";
import { dispatch } from "../dispatch.js";
import { TelegramChannel } from "./telegram.channel.js";

/** A running bot. */
export interface TelegramRuntime {
  mode: "polling" | "webhook";
  botUsername: string;
  /** The URL Telegram posts to (webhook mode). */
  webhookUrl?: string;
  /** Stops polling promptly (webhook mode: stops handling; the webhook stays set so Telegram queues updates). */
  stop(): Promise<void>;
}

/** Update types the bot asks for. https://core.telegram.org/bots/api#getupdates */
export const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** The header Telegram sends the webhook secret in. https://core.telegram.org/bots/api#setwebhook */
export const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

/** The path of a salon's webhook on the HTTP app. */
export function webhookPath(tenantSlug: string): string {
  return `/webhooks/telegram/${encodeURIComponent(tenantSlug)}`;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** 401 unless the request carries the secret token, compared in constant time, before the body is read. */
export function requireSecretToken(secret: string, log: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get(SECRET_HEADER);
    if (given === undefined || !sameSecret(given, secret)) {
      log.warn("Refused a Telegram webhook request: missing or wrong secret token", { ip: req.ip, path: req.path });
      res.status(401).json({ error: { code: "unauthorized", message: "Missing or wrong secret token" } });
      return;
    }
    next();
  };
}

function describe(e: unknown): string {
  if (e instanceof GrammyError) return `${e.method}: ${e.error_code} ${e.description}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Starts the bot of `tenant`. Calls getMe first (a wrong token fails here, with a message that
 * says what to do), registers /start in every language we speak, then:
 * - `publicUrl` and `webhookSecret` set: webhook mode. Mounts POST /webhooks/telegram/<slug> on
 *   `app` (401 on a missing or wrong secret token, 400 on bad JSON) and calls setWebhook.
 * - neither: long polling (deleteWebhook, then getUpdates until `stop()`).
 * `publicUrl` without `webhookSecret` throws `config_invalid`: a webhook never runs unverified.
 * `apiRoot` points grammY at another Bot API server (a local one, or a fake in tests).
 */
/** How long start-up waits for the Bot API's getMe before giving up on Telegram, ms. */
const INIT_TIMEOUT_MS = 20_000;

export async function startTelegram(options: {
  core: Core;
  tenant: TenantView;
  token: string;
  apiRoot?: string;
  publicUrl?: string;
  webhookSecret?: string;
  app: Express;
  log: Logger;
}): Promise<TelegramRuntime> {
  const { core, tenant, log } = options;
  if (options.publicUrl && !options.webhookSecret) {
    throw new DomainError(
      "config_invalid",
      "TELEGRAM_WEBHOOK_SECRET is required in webhook mode (PUBLIC_URL is set): set it, or remove PUBLIC_URL to use long polling",
    );
  }
  const bot = new Bot(options.token, options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {});
  try {
    // getMe; bounded, so an unreachable Bot API cannot hold the whole start-up.
    // grammy types its signal with the abort-controller polyfill; the runtime takes a standard one.
    await bot.init(AbortSignal.timeout(INIT_TIMEOUT_MS) as unknown as Parameters<typeof bot.init>[0]);
  } catch (e) {
    const hint =
      e instanceof GrammyError && e.error_code === 401
        ? "Telegram refused the bot token (401 Unauthorized): copy it again from @BotFather into TELEGRAM_BOT_TOKEN"
        : `Could not reach the Telegram Bot API at ${options.apiRoot ?? "https://api.telegram.org"} (${describe(e)})`;
    throw new DomainError("config_invalid", hint);
  }
  const botUsername = bot.botInfo.username;

  const engine = new ConversationEngine({ core, stores: createChatStores(core.prisma), log });
  const channel = new TelegramChannel(bot.api, log);
  bot.catch((err) => log.error("Telegram update failed", { updateId: err.ctx.update.update_id, error: describe(err.error) }));
  bot.use(async (ctx) => {
    await dispatch(channel, engine, tenant, ctx.update, log);
  });

  await registerCommands(bot, tenant, log);

  if (options.publicUrl && options.webhookSecret) {
    const secret = options.webhookSecret;
    const path = webhookPath(tenant.slug);
    const url = `${options.publicUrl.replace(/\/+$/, "")}${path}`;
    options.app.post(
      path,
      requireSecretToken(secret, log),
      express.json({ limit: "1mb" }),
      webhookCallback(bot, "express", { secretToken: secret, onTimeout: "return", timeoutMilliseconds: 9_000 }),
    );
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    log.info("Telegram webhook set", { bot: botUsername, url });
    return {
      mode: "webhook",
      botUsername,
      webhookUrl: url,
      // Nothing to stop: the HTTP server stops taking requests; the webhook stays set so Telegram
      // keeps updates for the next start.
      async stop() {},
    };
  }

  await new Promise<void>((resolve, reject) => {
    bot
      .start({ allowed_updates: [...ALLOWED_UPDATES], onStart: () => resolve() })
      .catch((e: unknown) => {
        log.error("Telegram long polling stopped", { error: describe(e) });
        reject(new DomainError("config_invalid", `Telegram long polling failed: ${describe(e)}`));
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
async function registerCommands(bot: Bot, tenant: TenantView, log: Logger): Promise<void> {
  try {
    const fallback = messagesFor(pickLocale(null, tenant.locale));
    await bot.api.setMyCommands([{ command: "start", description: fallback.commandStart }]);
    for (const [language, messages] of Object.entries(CATALOGUES)) {
      await bot.api.setMyCommands([{ command: "start", description: messages.commandStart }], { language_code: language as LanguageCode });
    }
  } catch (e) {
    log.warn("Could not register the bot's commands", { error: describe(e) });
  }
}
