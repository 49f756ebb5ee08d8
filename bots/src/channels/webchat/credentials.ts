/**
 * A salon's web chat settings, validated with zod before any factory of the plugin runs. None are
 * needed: with no app id the channel serves only the salon's own booking-page widget (this server
 * plays the Bot Framework connector). With an Azure Bot Service app id and its client secret, the
 * same bot also answers Azure's channels (Teams, Web Chat, SMS): their requests carry a JWT that is
 * verified against the app id, and replies are sent to their `serviceUrl` with a token of the app
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
 */
import { z } from "zod";

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
    appPassword: z.preprocess(blank, z.string().min(8, { error: "The web chat app password is too short: copy the client secret value again from Entra ID → App registrations → Certificates & secrets." }).optional()),
    appTenantId: z.preprocess(blank, z.string().trim().regex(GUID, { error: "The web chat app tenant id must be a GUID (Entra ID → Overview → Tenant ID)." }).optional()),
    locale: z.string().trim().min(2).max(35).default("en"),
  })
  .refine((v) => Boolean(v.appId) === Boolean(v.appPassword), {
    error: "Web chat needs both WEBCHAT_APP_ID and WEBCHAT_APP_PASSWORD for Azure Bot Service, or neither for the booking-page widget alone.",
  })
  .transform((v) => ({ appId: v.appId ?? null, appPassword: v.appPassword ?? null, appTenantId: v.appTenantId ?? null, locale: v.locale }));
