/**
 * Telegram's webhook for one salon: the secret token header is compared in constant time before
 * the body is read (401 when missing or wrong), the raw body is limited to 1 MB (413) and must be
 * JSON (400); an owner update (./owner.ts) is handled by the owner desk, any other Update is
 * parsed and handed to `deliver` (the inbox), and only then answered 200. A failing `deliver` answers 500 so Telegram retries. https://core.telegram.org/bots/api#setwebhook
 */
import { timingSafeEqual } from "node:crypto";
import { DomainError } from "@chairside/core";
import express, { type RequestHandler } from "express";
import type { Logger } from "../../conversation/types.js";
import type { OwnerDesk } from "../../owner/desk.js";
import type { WebhookDelivery } from "../plugin.js";
import type { TelegramCredentials } from "./credentials.js";
import { TelegramOwner } from "./owner.js";
import { parseUpdate } from "./parse.js";

/** The header Telegram sends the webhook secret in. https://core.telegram.org/bots/api#setwebhook */
export const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
/** Largest webhook body accepted. Telegram's updates are a few kilobytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

const error = (code: string, message: string) => ({ error: { code, message } });

/**
 * The request handler (all methods; only POST is accepted). Throws `config_invalid` when the
 * credentials have no webhook secret: the webhook never runs unverified.
 */
export function createTelegramWebhookHandler(deps: {
  credentials: TelegramCredentials;
  log: Logger;
  deliver(delivery: WebhookDelivery): Promise<void>;
  /** The salon's owner desk: owner updates are handled by it (./owner.ts) instead of going to the inbox. */
  owner?: OwnerDesk;
  fetch?: typeof fetch;
}): RequestHandler {
  const secret = deps.credentials.webhookSecret;
  if (!secret) {
    throw new DomainError("config_invalid", "This salon's Telegram bot has no webhook secret (TELEGRAM_WEBHOOK_SECRET): it uses long polling, not the webhook");
  }
  const { log, deliver } = deps;
  const owner = deps.owner ? new TelegramOwner(deps.owner, log) : null;
  const raw = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
  return (req, res) => {
    if (req.method !== "POST") {
      res.status(405).set("Allow", "POST").json(error("method_not_allowed", "Telegram webhooks are POST requests"));
      return;
    }
    const given = req.get(SECRET_HEADER);
    if (given === undefined || !sameSecret(given, secret)) {
      log.warn("Refused a Telegram webhook request: missing or wrong secret token", { ip: req.ip });
      res.status(401).json(error("unauthorized", "Missing or wrong secret token"));
      return;
    }
    raw(req, res, (e?: unknown) => {
      if (e) {
        const tooLarge = (e as { status?: number }).status === 413;
        res.status(tooLarge ? 413 : 400).json(error("bad_request", tooLarge ? "The body is larger than 1 MB" : "The body could not be read"));
        return;
      }
      let update: unknown;
      try {
        update = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "");
      } catch {
        res.status(400).json(error("bad_request", "The body is not JSON"));
        return;
      }
      if (typeof update !== "object" || update === null || Array.isArray(update)) {
        res.status(400).json(error("bad_request", "The body is not a Telegram Update"));
        return;
      }
      const handled = owner ? owner.handle(update as never, deps.credentials, deps.fetch) : Promise.resolve(false);
      handled.then((mine) => (mine ? undefined : deliver({ messages: parseUpdate(update), statuses: [], notices: [] }))).then(
        () => res.status(200).json({ ok: true }),
        (err: unknown) => {
          log.error("Could not store a Telegram update; Telegram will retry", { error: err instanceof Error ? err.message : String(err) });
          res.status(500).json(error("internal", "Could not store the update; retry later"));
        },
      );
    });
  };
}
