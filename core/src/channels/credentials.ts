/**
 * The credentials of each messenger, as zod schemas: the one definition of their shapes and rules.
 * The channel plugins (bots/src/channels/<name>/credentials.ts re-export these) validate stored
 * credentials with them before any factory runs; the admin's Settings → Channels validates the
 * owner's form with the same schemas. Pure: zod only, no messenger SDK, no I/O.
 *
 * Which fields are secret is decided here too (`PUBLIC_CREDENTIAL_FIELDS`, `splitCredentials`):
 * `ChannelConnectionsService` stores the public ones in clear and encrypts the rest.
 */
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Telegram: https://core.telegram.org/bots/api#authorizing-your-bot (token), #setwebhook (secret_token)

/** Telegram bot token as @BotFather issues it. https://core.telegram.org/bots/api#authorizing-your-bot */
export const TELEGRAM_BOT_TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]{30,}$/;
/** secret_token of setWebhook: 1-256 of A-Z a-z 0-9 _ -. https://core.telegram.org/bots/api#setwebhook */
export const TELEGRAM_WEBHOOK_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
/** The Bot API server when none is configured. */
export const DEFAULT_TELEGRAM_API_ROOT = "https://api.telegram.org";

/** zod schema of `TelegramCredentials`; messages say where the value comes from. */
export const telegramCredentialsSchema = z.object({
  /** The bot token. Secret: never logged. */
  token: z
    .string({ error: "The Telegram bot token is missing: set TELEGRAM_BOT_TOKEN, or add the token in Settings → Channels." })
    .trim()
    .regex(TELEGRAM_BOT_TOKEN_PATTERN, {
      error: "The Telegram bot token does not look like one (digits, a colon, then 30+ letters, digits, _ or -): copy it again from @BotFather.",
    }),
  /** Bot API server without a trailing slash (a self-hosted one, or a fake in tests). */
  apiRoot: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/\S+$/.test(v), { error: "The Telegram API root must be an http(s) URL, e.g. https://api.telegram.org." })
    .transform((v) => v.replace(/\/+$/, ""))
    .default(DEFAULT_TELEGRAM_API_ROOT),
  /** The webhook's secret_token; required in webhook mode (with a public URL), unused with long polling. Secret. */
  webhookSecret: z
    .string()
    .regex(TELEGRAM_WEBHOOK_SECRET_PATTERN, { error: "The Telegram webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -." })
    .optional(),
});

/** One salon's Telegram credentials, after validation and defaults. */
export type TelegramCredentials = z.output<typeof telegramCredentialsSchema>;

// ---------------------------------------------------------------------------------------------
// WhatsApp Cloud API: https://developers.facebook.com/docs/whatsapp/cloud-api/get-started (phone
// number id, access token), .../guides/set-up-webhooks (verify token, app secret for X-Hub-Signature-256)

/** The Graph API base URL (with its version) when none is configured. */
export const DEFAULT_WHATSAPP_GRAPH_URL = "https://graph.facebook.com/v23.0";

const whatsappSecret = (what: string, hint: string) =>
  z
    .string({ error: `${what} is missing: ${hint}` })
    .trim()
    .min(1, `${what} is empty: ${hint}`)
    .refine((s) => !/\s/.test(s), `${what} contains whitespace: copy it again without spaces or line breaks`);

/** The zod schema of `WhatsAppCredentials` (errors say where to find the missing value). */
export const whatsappCredentialsSchema = z.object({
  /** The business phone number's id (digits), not the phone number itself: WhatsApp → API Setup. */
  phoneNumberId: z
    .string({ error: "phoneNumberId is missing: copy the phone number ID from WhatsApp → API Setup in the Meta app dashboard" })
    .trim()
    .regex(/^\d{5,30}$/, "phoneNumberId must be the phone number ID (digits only) from WhatsApp → API Setup, not the phone number"),
  /** A system user's permanent access token (or a temporary one while testing). Sent as Bearer; never logged. */
  accessToken: whatsappSecret("accessToken", "create a system user token with whatsapp_business_messaging in Meta Business settings"),
  /** The app secret (App settings → Basic): the key of X-Hub-Signature-256. */
  appSecret: whatsappSecret("appSecret", "copy the App Secret from App settings → Basic in the Meta app dashboard"),
  /** Any string you choose; Meta echoes it in the GET verification request. */
  verifyToken: whatsappSecret("verifyToken", "choose a random string and enter the same one as Verify token in WhatsApp → Configuration"),
  /**
   * Graph API base URL including the version, without a trailing slash. Configurable for tests and
   * proxies (WHATSAPP_GRAPH_URL). https://developers.facebook.com/docs/graph-api/guides/versioning
   */
  graphUrl: z
    .url({ protocol: /^https?$/, error: "graphUrl must be an http(s) URL such as https://graph.facebook.com/v23.0" })
    .default(DEFAULT_WHATSAPP_GRAPH_URL)
    .transform((u) => u.replace(/\/+$/, "")),
  /**
   * The language code of the salon's message templates ("en", "en_US", "da") and of the channel's
   * own labels when a prompt does not reveal its language. Default "en".
   * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/supported-languages
   */
  language: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2,4})?$/, "language must be a WhatsApp language code such as en, en_US or da")
    .default("en"),
});

/** One salon's WhatsApp Cloud API credentials, after validation and defaults. */
export type WhatsAppCredentials = z.output<typeof whatsappCredentialsSchema>;

// ---------------------------------------------------------------------------------------------
// Viber REST Bot API (https://developers.viber.com/docs/api/rest-bot-api/): every request carries
// the account's token in X-Viber-Auth-Token, the same token keys the HMAC of
// X-Viber-Content-Signature on callbacks, and sender.name is at most 28 characters.

/** Viber's production API base URL (https://developers.viber.com/docs/api/rest-bot-api/#send-message). */
export const DEFAULT_VIBER_API_URL = "https://chatapi.viber.com/pa";

/** Longest `sender.name` Viber accepts (https://developers.viber.com/docs/api/rest-bot-api/#general-send-message-parameters). */
export const VIBER_MAX_SENDER_NAME = 28;

/** What the bot is called in chats when the server passes no name. */
export const VIBER_DEFAULT_SENDER_NAME = "Chairside";

/** The resolved credentials of one salon's Viber bot. */
export interface ViberCredentials {
  /** The account's authentication token (Viber admin panel → "Edit info"). Secret: never logged. */
  authToken: string;
  /** REST API base URL without a trailing slash (default: Viber's; a local fake in tests). */
  apiUrl: string;
  /** The sender name on every message, at most 28 characters (longer names are shortened with "…"). The server passes the salon name. */
  senderName: string;
  /**
   * The language of labels the channel adds by itself (the "More…" paging button), BCP 47.
   * The server passes the salon's locale; default English.
   */
  locale: string;
}

const shorten = (name: string) =>
  [...name].length > VIBER_MAX_SENDER_NAME ? `${[...name].slice(0, VIBER_MAX_SENDER_NAME - 1).join("")}…` : name;

/**
 * zod schema of `ViberCredentials`: `authToken` is required (a webhook without it could not
 * verify anything), `apiUrl` must be http(s) and loses its trailing slash, `senderName` is
 * trimmed and shortened to 28 characters.
 */
export const viberCredentialsSchema: z.ZodType<ViberCredentials> = z.object({
  authToken: z
    .string({ error: "The Viber authentication token is missing: set VIBER_AUTH_TOKEN, or add the token in Settings → Channels." })
    .trim()
    .min(10, { error: "The Viber authentication token is too short: copy it again from the Viber admin panel (Edit info → Token)." })
    .regex(/^[\x21-\x7e]+$/, { error: "The Viber authentication token contains spaces or unusual characters: copy it again from the Viber admin panel." }),
  apiUrl: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { error: "The Viber API URL must be an http(s) URL, e.g. https://chatapi.viber.com/pa." })
    .transform((v) => v.replace(/\/+$/, ""))
    .default(DEFAULT_VIBER_API_URL),
  senderName: z
    .string()
    .trim()
    .transform((v) => shorten(v))
    .pipe(z.string().min(1, { error: "The Viber sender name must not be empty." }))
    .default(VIBER_DEFAULT_SENDER_NAME),
  locale: z.string().trim().min(2).max(35).default("en"),
});

// ---------------------------------------------------------------------------------------------
// Web chat: none are needed (this server plays the Bot Framework connector for the booking page's
// widget). With an Azure Bot Service app id and its client secret, the same bot also answers
// Azure's channels (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).

/** The resolved web chat settings of one salon. */
export interface WebchatCredentials {
  /** The Azure Bot Service app (client) id (MicrosoftAppId), or null: the widget only. */
  appId: string | null;
  /** The app's client secret (MicrosoftAppPassword). Secret: never logged. Set exactly when `appId` is. */
  appPassword: string | null;
  /** The app's Entra tenant id for a single-tenant app (MicrosoftAppTenantId), or null. */
  appTenantId: string | null;
  /** The salon's locale (BCP 47): the language of labels the channel adds. The server passes it. */
  locale: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/**
 * zod schema of `WebchatCredentials`: everything optional; `appId` and `appTenantId` are GUIDs
 * (Azure portal → the bot → Configuration), and an app id needs its password (the bot could not
 * answer Azure otherwise).
 */
export const webchatCredentialsSchema: z.ZodType<WebchatCredentials> = z
  .object({
    appId: z.preprocess(blank, z.string().trim().regex(GUID, { error: "The web chat app id must be the Microsoft App ID (a GUID) from the Azure Bot's Configuration page." }).optional()),
    appPassword: z.preprocess(
      blank,
      z.string().min(8, { error: "The web chat app password is too short: copy the client secret value again from Entra ID → App registrations → Certificates & secrets." }).optional(),
    ),
    appTenantId: z.preprocess(blank, z.string().trim().regex(GUID, { error: "The web chat app tenant id must be a GUID (Entra ID → Overview → Tenant ID)." }).optional()),
    locale: z.string().trim().min(2).max(35).default("en"),
  })
  .refine((v) => Boolean(v.appId) === Boolean(v.appPassword), {
    error: "Web chat needs both WEBCHAT_APP_ID and WEBCHAT_APP_PASSWORD for Azure Bot Service, or neither for the booking-page widget alone.",
  })
  .transform((v) => ({ appId: v.appId ?? null, appPassword: v.appPassword ?? null, appTenantId: v.appTenantId ?? null, locale: v.locale }));

// ---------------------------------------------------------------------------------------------
// Public and secret fields

/** The messengers whose credentials are defined here, by the name used in the database and in webhook paths. */
export const CREDENTIAL_CHANNELS = ["telegram", "whatsapp", "viber", "webchat"] as const;

/** A messenger whose credentials are defined here. */
export type CredentialChannel = (typeof CREDENTIAL_CHANNELS)[number];

/** The credentials schema of each messenger. */
export const CREDENTIAL_SCHEMAS = {
  telegram: telegramCredentialsSchema,
  whatsapp: whatsappCredentialsSchema,
  viber: viberCredentialsSchema,
  webchat: webchatCredentialsSchema,
} as const satisfies Record<CredentialChannel, z.ZodType>;

/**
 * Credential fields stored as plain `config` (everything else is encrypted): base URLs and ids
 * that are not secret. Unknown fields are encrypted, so a new secret is never stored in clear.
 */
export const PUBLIC_CREDENTIAL_FIELDS: Readonly<Record<CredentialChannel, readonly string[]>> = {
  telegram: ["apiRoot"],
  whatsapp: ["phoneNumberId", "graphUrl", "language"],
  viber: ["apiUrl", "senderName", "locale"],
  webchat: ["appId", "appTenantId", "locale"],
};

/** True when `field` of `channel` is stored in clear (see PUBLIC_CREDENTIAL_FIELDS); unknown fields are secret. */
export function isPublicCredentialField(channel: CredentialChannel, field: string): boolean {
  return PUBLIC_CREDENTIAL_FIELDS[channel].includes(field);
}

/**
 * Splits credentials into `config` (stored in clear) and `secrets` (encrypted, as strings) for
 * `ChannelConnectionsService.upsert`. Undefined and null values are left out.
 */
export function splitCredentials(
  channel: CredentialChannel,
  values: Record<string, unknown>,
): { config: Record<string, unknown>; secrets: Record<string, string> } {
  const config: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    if (isPublicCredentialField(channel, key)) config[key] = value;
    else secrets[key] = String(value);
  }
  return { config, secrets };
}
