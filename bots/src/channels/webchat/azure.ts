/**
 * Azure Bot Service, through @microsoft/agents-hosting (the maintained successor of botbuilder):
 * - inbound: its JWT middleware checks the `Authorization: Bearer <JWT>` of every request from
 *   Azure's channels (signature from Microsoft's published keys, audience = our app id, issuer,
 *   expiry) (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#bot-to-connector);
 * - outbound: a CloudAdapter gets a token for the app id and POSTs the reply activities to the
 *   conversation's `serviceUrl` (`/v3/conversations/{conversationId}/activities`)
 *   (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-send-and-receive-messages).
 * Used only when a salon has an app id; the widget never touches Azure.
 */
import { Activity, type ConversationReference } from "@microsoft/agents-activity";
import { type AuthConfiguration, authorizeJWT, CloudAdapter, getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import type { Request, Response } from "express";
import type { WebchatCredentials } from "./credentials.js";
import type { OutgoingActivity } from "./render.js";

/** The library's auth configuration of a salon's app (its client secret included). Throws when there is no app id. */
export function authConfigOf(credentials: WebchatCredentials): AuthConfiguration {
  if (!credentials.appId || !credentials.appPassword) throw new Error("Web chat has no Azure Bot Service app id");
  return getAuthConfigWithDefaults({
    clientId: credentials.appId,
    clientSecret: credentials.appPassword,
    ...(credentials.appTenantId ? { tenantId: credentials.appTenantId } : {}),
  });
}

/** The claims of a verified Azure request (the library puts them on `req.user`). */
export interface AzureClaims {
  /** The connector's serviceUrl the token was issued for, when the token says (claim `serviceurl`). */
  serviceUrl?: string;
}

/**
 * Verifies an Azure Bot Service request's bearer JWT. Resolves with its claims, or null after the
 * library answered 401 itself (missing, malformed, expired or foreign token).
 */
export function createAzureVerifier(credentials: WebchatCredentials): (req: Request, res: Response) => Promise<AzureClaims | null> {
  const middleware = authorizeJWT(authConfigOf(credentials));
  return async (req, res) => {
    let passed = false;
    await middleware(req as never, res as never, () => {
      passed = true;
    });
    if (!passed) return null;
    const user = (req as Request & { user?: Record<string, unknown> }).user ?? {};
    return typeof user.serviceurl === "string" ? { serviceUrl: user.serviceurl } : {};
  };
}

/** Sends activities into Azure Bot Service conversations with one salon's app. */
export class AzureConnector {
  private adapter: CloudAdapter | null = null;

  constructor(private readonly credentials: WebchatCredentials) {}

  /**
   * Sends `activities` into the conversation of `reference` (as stored from its last inbound
   * activity), in order. Resolves with the connector's activity ids. Rejects when the token or
   * the connector call fails (the library's error carries the HTTP status).
   */
  async send(reference: Record<string, unknown>, activities: readonly OutgoingActivity[]): Promise<string[]> {
    if (!this.credentials.appId) throw new Error("Web chat has no Azure Bot Service app id: cannot answer an Azure conversation");
    this.adapter ??= new CloudAdapter(authConfigOf(this.credentials));
    const ids: string[] = [];
    await this.adapter.continueConversation(this.credentials.appId, reference as unknown as ConversationReference, async (context) => {
      const responses = await context.sendActivities(activities.map((a) => Activity.fromObject(a)));
      for (const r of responses) if (r?.id) ids.push(r.id);
    });
    return ids;
  }
}
