/**
 * The web chat endpoint of one salon: the bot's messaging endpoint in Bot Framework terms
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference),
 * mounted at `/webhooks/webchat/<salon>` and, for the first salon, at the standard `/api/messages`.
 *
 * raw body (at most 1 MB: 413) → who is calling, from the Authorization header alone, before the
 * body is parsed (401 when missing or wrong; nothing delivered):
 *   - `Bearer wc_…` : the booking page's widget; the token opens exactly one conversation;
 *   - `Bearer <JWT>`: Azure Bot Service, verified by @microsoft/agents-hosting's JWT middleware
 *     against the salon's app id (only when it has one);
 * → the Activity (JSON, the library's schema, an id and a conversation: 400 otherwise) → its
 * conversation must be the token's (401), an Azure Activity's serviceUrl that of its token →
 * Azure's conversation reference saved → `deliver` (the server persists into the inbox, keyed by
 * the Activity id) → 200 `{ "id": <activity id> }`. A failing `deliver` is a 500 (Azure retries).
 */
import { Activity } from "@microsoft/agents-activity";
import express, { type Request, type RequestHandler, type Response } from "express";
import type { ChannelDeps, WebhookDelivery } from "../plugin.js";
import type { AzureClaims } from "./azure.js";
import type { WebchatCredentials } from "./credentials.js";
import { parseActivity } from "./parse.js";
import type { WebchatConversations } from "./webchat.channel.js";

/** Largest body accepted; Activities are a few kilobytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the webhook handler needs besides the plugin deps. */
export type WebchatWebhookDeps = ChannelDeps<WebchatCredentials> & {
  deliver(delivery: WebhookDelivery): Promise<void>;
  tenantId: string;
  conversations: WebchatConversations;
  /** Verifies an Azure Bot Service JWT (answers 401 itself); null when the salon has no app id. */
  verifyAzure: ((req: Request, res: Response) => Promise<AzureClaims | null>) | null;
};

const problem = (res: Response, status: number, code: string, message: string) => {
  res.status(status).json({ error: { code, message } });
};

/** The bearer token of a request, or null. */
export function bearerOf(req: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "");
  return match?.[1] ?? null;
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();

/** Creates the handler (mount it for all methods; only POST is served, others get 405). Reads the raw body itself. */
export function createWebchatWebhookHandler(deps: WebchatWebhookDeps): RequestHandler {
  const { log, tenantId, conversations } = deps;
  const raw = express.raw({ type: () => true, limit: MAX_BODY_BYTES });

  async function handle(req: Request, res: Response): Promise<void> {
    const token = bearerOf(req);
    let widgetConversation: string | null = null;
    let claims: AzureClaims | null = null;
    if (token?.startsWith("wc_")) {
      widgetConversation = await conversations.verifyWidgetToken(tenantId, token);
      if (!widgetConversation) {
        log.warn("Refused a web chat activity: unknown or wrong widget token", { ip: req.ip });
        problem(res, 401, "unauthorized", "Missing or wrong conversation token: open a conversation first");
        return;
      }
    } else if (token && deps.verifyAzure) {
      claims = await deps.verifyAzure(req, res); // answers 401 itself when the JWT is not valid
      if (!claims) {
        log.warn("Refused a web chat activity: the Azure Bot Service token is not valid", { ip: req.ip });
        return;
      }
    } else {
      problem(res, 401, "unauthorized", "Missing Authorization: Bearer <conversation token>");
      return;
    }

    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const parsed = parseActivity(body);
    if (!parsed) {
      log.warn("Refused a web chat body: not a well-formed Activity", { bytes: body.length });
      problem(res, 400, "bad_request", "The body is not a well-formed Activity (type, id and conversation.id are required)");
      return;
    }
    const { activity } = parsed;
    if (widgetConversation !== null && activity.conversation.id !== widgetConversation) {
      problem(res, 401, "unauthorized", "This token does not open that conversation");
      return;
    }
    if (claims) {
      const serviceUrl = activity.serviceUrl ?? "";
      if (parsed.origin !== "azure" || !/^https:\/\/\S+$/.test(serviceUrl) || (claims.serviceUrl && !sameUrl(claims.serviceUrl, serviceUrl))) {
        log.warn("Refused an Azure activity: its serviceUrl or conversation does not match its token", { channelId: activity.channelId });
        problem(res, 401, "unauthorized", "The Activity's serviceUrl or conversation does not match the token");
        return;
      }
      const reference = Activity.fromObject(activity).getConversationReference();
      await conversations.saveReference(tenantId, parsed.chatId, JSON.parse(JSON.stringify(reference)) as Record<string, unknown>);
    }

    try {
      await deps.deliver({ messages: parsed.messages, statuses: [], notices: [] });
    } catch (e) {
      log.error("Could not take a web chat activity in: the sender may retry", { type: activity.type, error: e instanceof Error ? e.message : String(e) });
      problem(res, 500, "internal", "Could not store the activity; please retry");
      return;
    }
    res.status(200).json({ id: activity.id });
  }

  return (req, res, next) => {
    if (req.method !== "POST") {
      res.set("Allow", "POST");
      problem(res, 405, "method_not_allowed", "Activities are POSTed");
      return;
    }
    raw(req, res, (err?: unknown) => {
      if (err) {
        const tooLarge = (err as { status?: unknown }).status === 413;
        problem(res, tooLarge ? 413 : 400, "bad_request", tooLarge ? "The body is larger than 1 MB" : "The body could not be read");
        return;
      }
      handle(req, res).catch(next);
    });
  };
}
