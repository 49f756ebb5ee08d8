/**
 * Every messenger the server speaks, by the name used in the database (ChannelConnection.channel,
 * ClientIdentity.channel) and in webhook paths (/webhooks/<name>/<salon>). Adding a messenger is
 * one folder exporting a ChannelPlugin and one line here; the compiler then asks for its label,
 * its banner hint and which of its credentials are not secret.
 */
import { DomainError, PUBLIC_CREDENTIAL_FIELDS, splitCredentials as splitChannelCredentials } from "@chairside/core";
import type { ChannelPlugin } from "./plugin.js";
import { telegramPlugin } from "./telegram/index.js";
import { setViberWebhook, viberPlugin, type ViberCredentials } from "./viber/index.js";
import { webchatPlugin } from "./webchat/index.js";
import { whatsappPlugin } from "./whatsapp/index.js";

/**
 * Viber only delivers to a registered webhook: registered once the HTTP server listens (Viber
 * posts a signed `webhook` event to the URL before it answers). Used unless the Viber plugin
 * brings its own `start`.
 */
const startViber: NonNullable<ChannelPlugin<ViberCredentials>["start"]> = async ({ credentials, webhookUrl, fetch }) => {
  if (!webhookUrl) throw new DomainError("config_invalid", "Viber needs PUBLIC_URL: it only delivers messages to an https webhook");
  try {
    await setViberWebhook(credentials, webhookUrl, fetch);
  } catch (e) {
    throw new DomainError("config_invalid", `Could not register the webhook ${webhookUrl} with Viber (${e instanceof Error ? e.message : String(e)})`);
  }
  return { line: `webhook ${webhookUrl} (registered with Viber)`, stop: async () => {} };
};

/** The plugins, by channel name. */
export const PLUGINS = {
  telegram: telegramPlugin,
  whatsapp: whatsappPlugin,
  viber: viberPlugin.start ? viberPlugin : { ...viberPlugin, start: startViber },
  webchat: webchatPlugin,
} as const;

/** A channel the server has a plugin for. */
export type ChannelName = keyof typeof PLUGINS;

/** The credentials type of a channel's plugin. */
export type CredentialsOf<N extends ChannelName> = (typeof PLUGINS)[N] extends ChannelPlugin<infer C> ? C : never;

/** Every channel name, in banner order. */
export const CHANNEL_NAMES = Object.keys(PLUGINS) as ChannelName[];

/** True when `name` is a channel with a plugin. */
export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(PLUGINS, name);
}

/** How each channel is called in the banner and in messages. */
export const CHANNEL_LABELS: Record<ChannelName, string> = { telegram: "Telegram", whatsapp: "WhatsApp", viber: "Viber", webchat: "Web chat" };

/**
 * Credential fields stored as plain `config` (everything else is encrypted): base URLs and ids
 * that are not secret. Defined in core (PUBLIC_CREDENTIAL_FIELDS, beside the credential schemas,
 * which the admin shares); typed here so a new plugin without an entry there does not compile.
 */
export const PUBLIC_FIELDS: Readonly<Record<ChannelName, readonly string[]>> = PUBLIC_CREDENTIAL_FIELDS;

/** What the banner adds after a channel's webhook URL when its plugin has no `start` of its own. */
export const WEBHOOK_HINTS: Record<ChannelName, string> = {
  telegram: "",
  whatsapp: "(set this URL and the verify token in Meta's app dashboard: WhatsApp → Configuration)",
  viber: "",
  webchat: "",
};

/** What to set when a channel is off for the first salon. */
export const OFF_HINTS: Record<ChannelName, string> = {
  telegram: "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather, then paste the token in Settings → Channels (or put it in .env and restart)",
  whatsapp: "connect WhatsApp in Settings → Channels, or set WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_ACCESS_TOKEN, WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN (it needs PUBLIC_URL)",
  viber: "connect Viber in Settings → Channels, or set VIBER_AUTH_TOKEN (it needs PUBLIC_URL)",
  webchat: "web chat is turned off for this salon (it needs no credentials)",
};

/** Splits credentials into `config` (stored in clear) and `secrets` (encrypted) for the connection store (core's `splitCredentials`). */
export function splitCredentials(channel: ChannelName, values: Record<string, unknown>): { config: Record<string, unknown>; secrets: Record<string, string> } {
  return splitChannelCredentials(channel, values);
}
