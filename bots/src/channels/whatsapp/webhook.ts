/**
 * The WhatsApp webhook of one salon (mounted at /webhooks/whatsapp/<slug>, all methods):
 *
 * - GET: the verification handshake (hub.mode=subscribe, hub.verify_token) → 200 with
 *   hub.challenge as text/plain, else 403.
 *   https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks
 * - POST: the raw body (at most 1 MB: 413 beyond, 400 when unreadable) is checked against
 *   X-Hub-Signature-256 BEFORE anything reads it (401 when missing or wrong, nothing delivered);
 *   then JSON (400 when malformed), the envelope (400), and every message and status of every
 *   entry and change, each on its own. `deliver` is called once; 200 only after it resolved (a
 *   500 makes Meta retry; it retries for days, so the server de-duplicates by wamid).
 *   https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 *
 * whatsapp-api-js's `post` is not used here: it handles only the first message of the first
 * change, and needs the parsed body before the signature check.
 */
import express, { type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "../../conversation/types.js";
import type { WebhookDelivery } from "../plugin.js";
import type { WhatsAppCredentials } from "./credentials.js";
import { envelopeSchema, parseEnvelope } from "./parse.js";
import { checkChallenge, SIGNATURE_HEADER, verifySignature } from "./verify.js";

/** Largest webhook body accepted. Meta's payloads are a few KB; batches stay far below this. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the handler needs. */
export interface WhatsAppWebhookDeps {
  credentials: WhatsAppCredentials;
  log: Logger;
  deliver(delivery: WebhookDelivery): Promise<void>;
}

function fail(res: Response, status: number, code: string, message: string): void {
  if (res.headersSent) return;
  res.status(status).json({ error: { code, message } });
}

/** Creates the webhook handler (see the module comment). Refuses to start without the secrets. */
export function createWhatsAppWebhook(deps: WhatsAppWebhookDeps): RequestHandler {
  const { credentials, log, deliver } = deps;
  if (!credentials.appSecret || !credentials.verifyToken) throw new Error("The WhatsApp webhook needs the app secret and the verify token");
  const readRaw = express.raw({ type: () => true, limit: MAX_BODY_BYTES });

  const onPost = async (req: Request, res: Response): Promise<void> => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifySignature(raw, req.headers[SIGNATURE_HEADER], credentials.appSecret)) {
      log.warn("WhatsApp webhook refused: missing or wrong X-Hub-Signature-256", { hasSignature: req.headers[SIGNATURE_HEADER] !== undefined, bytes: raw.length });
      fail(res, 401, "unauthorized", "Missing or invalid X-Hub-Signature-256");
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      fail(res, 400, "invalid_input", "The body is not JSON");
      return;
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) {
      fail(res, 400, "invalid_input", "The body is not a webhook envelope ({ object, entry: [{ id, changes }] })");
      return;
    }
    const parsed = parseEnvelope(envelope.data, credentials.phoneNumberId);
    if (parsed.skipped.length > 0) log.debug("WhatsApp webhook items skipped", { skipped: parsed.skipped.slice(0, 20) });
    try {
      await deliver({ messages: parsed.messages, statuses: parsed.statuses, notices: [] });
    } catch (e) {
      log.error("WhatsApp webhook could not be delivered: answering 500 so that Meta retries", { error: e instanceof Error ? e.message : String(e) });
      fail(res, 500, "internal", "Could not store the webhook; it will be retried");
      return;
    }
    res.status(200).type("text/plain").send("OK");
  };

  return (req, res) => {
    if (req.method === "GET") {
      const query = new URLSearchParams(req.originalUrl.split("?")[1] ?? "");
      const result = checkChallenge(query, credentials.verifyToken);
      if (!result.ok) {
        log.warn("WhatsApp webhook verification refused", { reason: result.reason });
        res.status(result.status).type("text/plain").send(result.status === 403 ? "Forbidden" : "Bad Request");
        return;
      }
      res.status(200).type("text/plain").set("X-Content-Type-Options", "nosniff").send(result.challenge);
      return;
    }
    if (req.method !== "POST") {
      res.set("Allow", "GET, POST");
      fail(res, 405, "method_not_allowed", "Use GET (verification) or POST (events)");
      return;
    }
    readRaw(req, res, (err?: unknown) => {
      if (err) {
        const tooLarge = (err as { type?: unknown }).type === "entity.too.large";
        log.warn("WhatsApp webhook body refused", { reason: tooLarge ? "too large" : "unreadable" });
        fail(res, tooLarge ? 413 : 400, "invalid_input", tooLarge ? `The body is larger than ${MAX_BODY_BYTES} bytes` : "The body could not be read");
        return;
      }
      onPost(req, res).catch((e: unknown) => {
        log.error("WhatsApp webhook failed", { error: e instanceof Error ? e.message : String(e) });
        fail(res, 500, "internal", "Something went wrong on our side");
      });
    });
  };
}
