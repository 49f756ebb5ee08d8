/**
 * One salon's WhatsApp Cloud API credentials, validated with zod before the channel or its
 * webhook is created. Where each value comes from:
 * https://developers.facebook.com/docs/whatsapp/cloud-api/get-started (phone number id, access
 * token), https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks (verify
 * token, app secret for X-Hub-Signature-256).
 */
import { z } from "zod";

/** The Graph API base URL (with its version) when none is configured. */
export const DEFAULT_GRAPH_URL = "https://graph.facebook.com/v23.0";

const secret = (what: string, hint: string) =>
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
  accessToken: secret("accessToken", "create a system user token with whatsapp_business_messaging in Meta Business settings"),
  /** The app secret (App settings → Basic): the key of X-Hub-Signature-256. */
  appSecret: secret("appSecret", "copy the App Secret from App settings → Basic in the Meta app dashboard"),
  /** Any string you choose; Meta echoes it in the GET verification request. */
  verifyToken: secret("verifyToken", "choose a random string and enter the same one as Verify token in WhatsApp → Configuration"),
  /**
   * Graph API base URL including the version, without a trailing slash. Configurable for tests and
   * proxies (WHATSAPP_GRAPH_URL). https://developers.facebook.com/docs/graph-api/guides/versioning
   */
  graphUrl: z
    .url({ protocol: /^https?$/, error: "graphUrl must be an http(s) URL such as https://graph.facebook.com/v23.0" })
    .default(DEFAULT_GRAPH_URL)
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
