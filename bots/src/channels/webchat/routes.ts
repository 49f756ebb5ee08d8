/**
 * The widget's HTTP API, shaped after Direct Line 3.0
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-api-reference),
 * with this server as the connector, and the standard Bot Framework endpoint:
 *
 *   POST /webhooks/webchat/<salon>/conversations                     → 201 { conversationId, token, botUrl, activitiesUrl }
 *   POST /webhooks/webchat/<salon>        (Bearer token, an Activity) → the plugin's webhook (webhook.ts)
 *   GET  /webhooks/webchat/<salon>/conversations/<id>/activities?watermark=N  (Bearer token)
 *                                                                    → 200 { activities, watermark }
 *   POST /api/messages                                               → the first salon's webhook
 *
 * Conversation ids and tokens are random and issued here, so one visitor can never read or write
 * another's chat; a salon whose web chat is disabled answers 404. Opening conversations is limited
 * per client address (30 per 10 minutes) so nobody fills the database.
 */
import type { WebchatStore } from "@chairside/core";
import { isDomainError } from "@chairside/core";
import type { Express, Request, Response } from "express";
import type { Logger } from "../../conversation/types.js";
import type { ChannelHub } from "../dispatch.js";
import { bearerOf } from "./webhook.js";

/** What the routes need. */
export interface WebchatRoutesDeps {
  hub: Pick<ChannelHub, "resolveBySlug">;
  conversations: Pick<WebchatStore, "openWidgetConversation" | "verifyWidgetToken" | "activitiesAfter">;
  /** The slug of the salon `/api/messages` serves (the first salon), or null. */
  defaultSlug(): string | null;
  log: Logger;
  /** Conversations one client address may open per window (default 30 per 10 minutes). */
  openLimit?: { count: number; windowMs: number };
}

const problem = (res: Response, status: number, code: string, message: string) => {
  res.status(status).json({ error: { code, message } });
};

/** A fixed-window counter per key; forgets old windows as it goes. */
function rateLimiter(count: number, windowMs: number): (key: string) => boolean {
  const windows = new Map<string, { start: number; used: number }>();
  return (key) => {
    const now = Date.now();
    if (windows.size > 10_000) for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
    const w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      windows.set(key, { start: now, used: 1 });
      return true;
    }
    w.used += 1;
    return w.used <= count;
  };
}

/** Mounts the routes above on `app` (before the JSON 404 fallbacks). */
export function mountWebchatRoutes(app: Express, deps: WebchatRoutesDeps): void {
  const { hub, conversations, log } = deps;
  const allow = rateLimiter(deps.openLimit?.count ?? 30, deps.openLimit?.windowMs ?? 10 * 60_000);
  const salonOf = async (req: Request, res: Response) => {
    const salon = await hub.resolveBySlug(String(req.params.slug ?? ""), "webchat");
    if (!salon) problem(res, 404, "not_found", "This salon has no web chat");
    return salon;
  };

  app.post("/webhooks/webchat/:slug/conversations", async (req, res) => {
    res.set("Cache-Control", "no-store");
    const salon = await salonOf(req, res);
    if (!salon) return;
    if (!allow(req.ip ?? "unknown")) {
      res.set("Retry-After", "600");
      problem(res, 429, "rate_limited", "Too many conversations from this address; try again in a few minutes");
      return;
    }
    const { conversationId, token } = await conversations.openWidgetConversation(salon.tenant.id);
    const base = `/webhooks/webchat/${encodeURIComponent(salon.tenant.slug)}`;
    res.status(201).json({ conversationId, token, botUrl: base, activitiesUrl: `${base}/conversations/${conversationId}/activities` });
  });

  app.get("/webhooks/webchat/:slug/conversations/:id/activities", async (req, res) => {
    res.set("Cache-Control", "no-store");
    const salon = await salonOf(req, res);
    if (!salon) return;
    const token = bearerOf(req);
    const id = String(req.params.id ?? "");
    if (!token || (await conversations.verifyWidgetToken(salon.tenant.id, token)) !== id) {
      problem(res, 401, "unauthorized", "Missing or wrong conversation token");
      return;
    }
    const watermark = Number(req.query.watermark ?? 0);
    if (!Number.isSafeInteger(watermark) || watermark < 0) {
      problem(res, 400, "bad_request", "watermark must be a whole number ≥ 0");
      return;
    }
    try {
      res.json(await conversations.activitiesAfter(salon.tenant.id, id, watermark));
    } catch (e) {
      if (!isDomainError(e, "not_found")) throw e;
      problem(res, 404, "not_found", "No such conversation");
    }
  });

  app.all("/api/messages", async (req, res, next) => {
    const slug = deps.defaultSlug();
    const salon = slug ? await hub.resolveBySlug(slug, "webchat") : null;
    if (!salon) {
      problem(res, 404, "not_found", "No salon has web chat enabled");
      return;
    }
    log.debug("Activity on /api/messages", { salon: salon.tenant.slug });
    await salon.webhook()(req, res, next);
  });
}
