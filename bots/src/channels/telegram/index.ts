/**
 * Telegram as a ChannelPlugin: the server mounts its webhook at /webhooks/telegram/<salon> (used
 * when PUBLIC_URL is set) and calls `start` per salon (getMe, commands, then setWebhook or long
 * polling into the inbox). grammY stays inside this folder.
 */
import { Api } from "grammy";
import type { ChannelPlugin } from "../plugin.js";
import { telegramCredentialsSchema, type TelegramCredentials } from "./credentials.js";
import { TelegramChannel } from "./telegram.channel.js";
import { startTelegram } from "./telegram.runtime.js";
import { createTelegramWebhookHandler } from "./webhook.js";

export { telegramCredentialsSchema, type TelegramCredentials } from "./credentials.js";

/** The Telegram plugin. */
export const telegramPlugin: ChannelPlugin<TelegramCredentials> = {
  name: "telegram",
  credentialsSchema: telegramCredentialsSchema,
  createChannel({ credentials, log, fetch }) {
    const api = new Api(credentials.token, { apiRoot: credentials.apiRoot, ...(fetch ? { fetch: fetch as never } : {}) });
    return new TelegramChannel(api, log);
  },
  createWebhookHandler: (deps) => createTelegramWebhookHandler(deps),
  async start(deps) {
    const runtime = await startTelegram(deps);
    const line =
      runtime.mode === "webhook" ? `webhook mode as @${runtime.botUsername} at ${runtime.webhookUrl ?? "(unknown URL)"}` : `long polling as @${runtime.botUsername}`;
    const disconnect = runtime.disconnect;
    return { line, stop: () => runtime.stop(), ...(disconnect ? { disconnect: () => disconnect() } : {}) };
  },
};
