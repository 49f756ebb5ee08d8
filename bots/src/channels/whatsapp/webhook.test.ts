/**
 * The webhook handler over real HTTP (an express app on 127.0.0.1), fed by the fake's client side
 * and the documentation samples.
 */
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../conversation/types.js";
import { FakeWhatsApp } from "../../testing/fake-whatsapp.js";
import type { WebhookDelivery } from "../plugin.js";
import { whatsappCredentialsSchema } from "./credentials.js";
import { whatsappPlugin } from "./index.js";
import { signPayload } from "./verify.js";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const credentials = whatsappCredentialsSchema.parse({
  phoneNumberId: "106540352242922",
  accessToken: "EAAG-test-access-token",
  appSecret: "app-secret-for-tests",
  verifyToken: "verify-token-for-tests",
});
const sampleText = (name: string) => readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8");

describe("WhatsApp webhook handler", () => {
  let server: Server;
  let url: string;
  let fake: FakeWhatsApp;
  let deliveries: WebhookDelivery[];
  let failDeliver: Error | null;

  beforeAll(async () => {
    const app = express();
    app.all(
      "/webhooks/whatsapp/demo",
      whatsappPlugin.createWebhookHandler({
        credentials,
        log: silent,
        deliver: async (d) => {
          if (failDeliver) throw failDeliver;
          deliveries.push(d);
        },
      }),
    );
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp/demo`;
    fake = await FakeWhatsApp.start({ accessToken: credentials.accessToken, phoneNumberId: credentials.phoneNumberId, appSecret: credentials.appSecret, webhookUrl: url });
  });
  afterAll(async () => {
    await fake.close();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    deliveries = [];
    failDeliver = null;
  });

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  it("answers the verification GET with the challenge as text/plain, and 403 to a wrong token", async () => {
    const ok = await fetch(`${url}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-token-for-tests`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await fetch(`${url}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess`);
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain("1158201444");
    expect((await fetch(url)).status).toBe(403);
  });

  it("delivers a correctly signed message once and answers 200", async () => {
    const result = await fake.sendText("4520123456", "Hej");
    expect(result.status).toBe(200);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toEqual({
      messages: [
        {
          chatId: "4520123456",
          userId: "4520123456",
          eventId: result.wamid,
          profile: { name: "Ada Lovelace", verifiedPhone: "+4520123456" },
          event: { kind: "text", text: "Hej" },
        },
      ],
      statuses: [],
      notices: [],
    });
  });

  it("refuses a wrong or missing signature with 401 and delivers nothing", async () => {
    expect((await fake.sendText("4520123456", "Hej", { signature: "wrong" })).status).toBe(401);
    expect((await fake.sendText("4520123456", "Hej", { signature: "missing" })).status).toBe(401);
    const body = sampleText("text");
    expect((await post(body, { "X-Hub-Signature-256": signPayload(`${body} `, credentials.appSecret) })).status).toBe(401);
    expect(deliveries).toEqual([]);
  });

  it("checks the signature before reading the body: garbage without a signature is 401, with one 400", async () => {
    expect((await post("{not json")).status).toBe(401);
    const bad = await post("{not json", { "X-Hub-Signature-256": signPayload("{not json", credentials.appSecret) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: "invalid_input", message: "The body is not JSON" } });
    const notEnvelope = JSON.stringify({ object: "whatsapp_business_account", entry: "x" });
    expect((await post(notEnvelope, { "X-Hub-Signature-256": signPayload(notEnvelope, credentials.appSecret) })).status).toBe(400);
    expect(deliveries).toEqual([]);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const huge = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const res = await post(huge, { "X-Hub-Signature-256": signPayload(huge, credentials.appSecret) });
    expect(res.status).toBe(413);
    expect(deliveries).toEqual([]);
  });

  it("delivers every message and status of a batch with two entries in one call", async () => {
    const body = sampleText("batch-two-entries");
    const res = await post(body, { "X-Hub-Signature-256": signPayload(body, credentials.appSecret) });
    expect(res.status).toBe(200);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.messages.map((m) => m.event.kind)).toEqual(["text", "choice", "text"]);
    expect(deliveries[0]!.statuses.map((s) => s.status)).toEqual(["delivered"]);
  });

  it("delivers status webhooks, including a failure outside the 24-hour window", async () => {
    await fake.emitStatus("wamid.abc", "delivered");
    await fake.emitStatus("wamid.abc", "failed");
    expect(deliveries.map((d) => d.statuses.map((s) => [s.eventId, s.error?.code]))).toEqual([[["wamid.abc:delivered", undefined]], [["wamid.abc:failed", "131047"]]]);
  });

  it("answers 500 when the delivery cannot be stored (Meta retries), and 405 to other methods", async () => {
    failDeliver = new Error("database down");
    expect((await fake.sendText("4520123456", "Hej")).status).toBe(500);
    expect((await fetch(url, { method: "PUT" })).status).toBe(405);
  });

  it("refuses to be created without its secrets", () => {
    expect(() => whatsappPlugin.createWebhookHandler({ credentials: { ...credentials, appSecret: "" }, log: silent, deliver: async () => {} })).toThrow(/app secret/);
    expect(whatsappCredentialsSchema.safeParse({ ...credentials, appSecret: undefined }).error?.issues[0]?.message).toMatch(/appSecret is missing/);
  });
});
