/**
 * With an Azure Bot Service app id, the web chat endpoint takes Activities signed by Microsoft
 * only: a request without a token, or with a JWT Microsoft did not sign (here one signed with a
 * key of our own, claiming Azure's issuer and our app id as audience), gets 401 and delivers
 * nothing; the widget's own conversations keep working beside it. Microsoft's keys cannot be
 * reached from this machine, so the accepting path is not exercised here.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryWebchatConversations } from "../../testing/memory-webchat.js";
import type { WebhookDelivery } from "../plugin.js";
import { createWebchatPlugin, webchatCredentialsSchema } from "./index.js";

const TENANT = "00000000-0000-4000-8000-000000000001";
const APP_ID = "3f6b6a0e-1c4d-4a57-9b62-5d0a6f1e2c3b";
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A JWT shaped like Azure's (issuer, audience, serviceurl) but signed with our own secret. */
function forgedJwt(): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url({ alg: "HS256", typ: "JWT", kid: "forged" });
  const body = b64url({ iss: "https://api.botframework.com", aud: APP_ID, serviceurl: "https://smba.trafficmanager.net/emea/", nbf: now - 60, exp: now + 600 });
  const signature = createHmac("sha256", "not Microsoft's key").update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

function azureActivity(): object {
  return {
    type: "message",
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: "https://smba.trafficmanager.net/emea/",
    from: { id: "29:1abc", name: "Ada" },
    recipient: { id: `28:${APP_ID}`, name: "Chairside" },
    conversation: { id: "a:1xyz" },
    text: "hello",
  };
}

describe("web chat with an Azure Bot Service app id (JWT checked by @microsoft/agents-hosting)", () => {
  const delivered: WebhookDelivery[] = [];
  const conversations = new MemoryWebchatConversations();
  let origin: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const plugin = createWebchatPlugin({ conversations, tenantId: TENANT });
    const credentials = webchatCredentialsSchema.parse({ appId: APP_ID, appPassword: "a client secret value" });
    const app = express();
    app.all("/api/messages", plugin.createWebhookHandler({ credentials, log: silent, deliver: async (d) => void delivered.push(d) }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => close?.());

  const post = (headers: Record<string, string>, body: object) =>
    fetch(`${origin}/api/messages`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

  it("refuses an Activity without a token", async () => {
    expect((await post({}, azureActivity())).status).toBe(401);
    expect(delivered).toEqual([]);
  });

  it("refuses an Activity whose JWT Microsoft did not sign", async () => {
    const res = await post({ authorization: `Bearer ${forgedJwt()}` }, azureActivity());
    expect(res.status).toBe(401);
    // The library answered, not the widget's "no token" branch: the JWT was checked and refused.
    expect(await res.text()).not.toContain("conversation token");
    expect(delivered).toEqual([]);
  });

  it("still serves the booking page's widget beside Azure", async () => {
    const { conversationId, token } = await conversations.openWidgetConversation(TENANT);
    const activity = { type: "message", id: "w1", channelId: "webchat", from: { id: "visitor" }, conversation: { id: conversationId }, text: "hi" };
    expect((await post({ authorization: `Bearer ${token}` }, activity)).status).toBe(200);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.messages.map((m) => m.chatId)).toEqual([conversationId]);
  });
});
