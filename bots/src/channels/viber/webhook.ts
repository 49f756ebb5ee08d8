/**
 * The Viber webhook of one salon (https://developers.viber.com/docs/api/rest-bot-api/#callbacks):
 * raw body (at most 1 MB) → `X-Viber-Content-Signature` checked on the raw bytes in constant time
 * (401 when missing or wrong; nothing is parsed or delivered) → JSON with exact message tokens and
 * zod (400 when malformed) → `deliver` (the server persists) → 200. Viber retries a callback that
 * does not get 200, so the answer comes only after `deliver` resolved; a failing `deliver` is a 500.
 *
 * Special answers:
 * - `webhook` (the set_webhook handshake): 200.
 * - `conversation_started`: 200 with the welcome message as the response body — the one message
 *   a bot may send before the user subscribed (https://developers.viber.com/docs/api/rest-bot-api/#conversation-started).
 * - a "More…" press: the next keyboard page is sent here (channel paging, not conversation input).
 */
import express, { type Request, type RequestHandler, type Response } from "express";
import type { Prompt } from "../../conversation/types.js";
import type { ChannelDeps, WebhookDelivery } from "../plugin.js";
import type { ViberCredentials } from "./credentials.js";
import { parseCallback } from "./parse.js";
import { renderPrompt } from "./render.js";
import { SIGNATURE_HEADER, verifySignature } from "./verify.js";
import { labelsFor, ViberChannel, withSender } from "./viber.channel.js";

/** Largest callback body accepted; Viber's callbacks are a few kilobytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the server gives the webhook handler (ChannelPlugin.createWebhookHandler's argument). */
export type ViberWebhookDeps = ChannelDeps<ViberCredentials> & {
  deliver(delivery: WebhookDelivery): Promise<void>;
  welcome?(userId: string, profile: { name?: string; languageCode?: string }): Promise<Prompt | null>;
};

const problem = (res: Response, status: number, code: string, message: string) => {
  res.status(status).json({ error: { code, message } });
};

/**
 * Creates the handler (mount it for all methods at `/webhooks/viber/<slug>`; only POST is
 * served, others get 405). It reads the body itself with `express.raw`, so it must not sit behind
 * a JSON body parser.
 */
export function createViberWebhookHandler(deps: ViberWebhookDeps): RequestHandler {
  const { credentials, log } = deps;
  const raw = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
  const channel = new ViberChannel(credentials, log, deps.fetch);

  async function handle(req: Request, res: Response): Promise<void> {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifySignature(body, req.get(SIGNATURE_HEADER), credentials.authToken)) {
      log.warn("Refused a Viber callback: missing or wrong signature", { ip: req.ip, bytes: body.length });
      problem(res, 401, "unauthorized", "Missing or wrong X-Viber-Content-Signature");
      return;
    }
    const parsed = parseCallback(body);
    if (!parsed) {
      log.warn("Refused a Viber callback: not a well-formed Viber event", { bytes: body.length });
      problem(res, 400, "bad_request", "The body is not a well-formed Viber callback");
      return;
    }
    try {
      await deps.deliver({ messages: parsed.messages, statuses: parsed.statuses, notices: parsed.notices });
    } catch (e) {
      log.error("Could not take a Viber callback in: Viber will retry", { event: parsed.event, error: e instanceof Error ? e.message : String(e) });
      problem(res, 500, "internal", "Could not store the callback; please retry");
      return;
    }

    if (parsed.page) {
      try {
        await channel.sendPage(parsed.page);
      } catch (e) {
        // The keyboard the user pressed on is still shown; they can press again.
        log.warn("Could not send the next keyboard page", { userId: parsed.page.userId, error: e instanceof Error ? e.message : String(e) });
      }
    }

    if (parsed.conversationStarted && deps.welcome) {
      const { userId, profile } = parsed.conversationStarted;
      let welcome: Prompt | null;
      try {
        welcome = await deps.welcome(userId, profile);
      } catch (e) {
        log.error("Could not prepare the Viber welcome message: Viber will retry", { error: e instanceof Error ? e.message : String(e) });
        problem(res, 500, "internal", "Could not prepare the welcome message; please retry");
        return;
      }
      if (welcome) {
        const message = renderPrompt(welcome, labelsFor(profile.languageCode, credentials.locale));
        res.status(200).json(withSender(message, credentials.senderName));
        return;
      }
    }
    res.status(200).end();
  }

  return (req, res, next) => {
    if (req.method !== "POST") {
      res.set("Allow", "POST");
      problem(res, 405, "method_not_allowed", "Viber callbacks are POST requests");
      return;
    }
    raw(req, res, (err?: unknown) => {
      if (err) {
        const tooLarge = (err as { status?: unknown }).status === 413;
        log.warn("Refused a Viber callback body", { reason: tooLarge ? "too large" : "unreadable" });
        problem(res, tooLarge ? 413 : 400, "bad_request", tooLarge ? "The body is larger than 1 MB" : "The body could not be read");
        return;
      }
      handle(req, res).catch(next);
    });
  };
}
