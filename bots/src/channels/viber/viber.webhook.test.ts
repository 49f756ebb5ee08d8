import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Prompt } from "../../conversation/types.js";
import { createLogger } from "../../log.js";
import { FakeViber, viberJson } from "../../testing/fake-viber.js";
import type { WebhookDelivery } from "../plugin.js";
import { setViberWebhook, viberPlugin } from "./index.js";

const TOKEN = "4a3b2c1d0e9f8a7b-6c5d4e3f2a1b0c9d-webhook-test";
const PUBLIC_URL = "https://chairside.example.test/webhooks/viber/demo";
const log = createLogger({ level: "error", sinks: { stdout: () => undefined, stderr: () => undefined } });
const menu: Prompt = { text: "Hi! Welcome. What would you like to do?", choices: [{ id: "g:book", label: "Book an appointment" }, { id: "g:my", label: "My bookings" }] };

describe("the Viber webhook handler (plugin) with the fake Viber posting to it", () => {
  let fake: FakeViber;
  let server: http.Server;
  let origin: string;
  let deliveries: WebhookDelivery[];
  let failDeliver = false;
  const welcomed: { userId: string; profile: object }[] = [];

  beforeAll(async () => {
    const app = express();
    const credentials = viberPlugin.credentialsSchema.parse({ authToken: TOKEN, senderName: "Demo Salon" });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake = await FakeViber.start({ authToken: TOKEN, webhookOrigin: origin });
    const handler = viberPlugin.createWebhookHandler({
      credentials: { ...credentials, apiUrl: fake.apiUrl },
      log,
      deliver: async (delivery) => {
        if (failDeliver) throw new Error("database down");
        deliveries.push(delivery);
      },
      welcome: async (userId, profile) => {
        welcomed.push({ userId, profile });
        return userId === "quiet" ? null : menu;
      },
    });
    app.use("/webhooks/viber/demo", handler);
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    deliveries = [];
    failDeliver = false;
  });

  it("set_webhook succeeds: the signed `webhook` handshake gets 200", async () => {
    expect(await setViberWebhook({ authToken: TOKEN, apiUrl: fake.apiUrl }, PUBLIC_URL)).toEqual({
      eventTypes: ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"],
    });
    expect(fake.webhookUrl).toBe(PUBLIC_URL);
    expect(deliveries).toEqual([{ messages: [], statuses: [], notices: [] }]);
    await expect(setViberWebhook({ authToken: TOKEN, apiUrl: fake.apiUrl }, "http://insecure.example.test/x")).rejects.toMatchObject({ status: 1 });
    await expect(setViberWebhook({ authToken: "wrong-token-000000", apiUrl: fake.apiUrl }, PUBLIC_URL)).rejects.toMatchObject({ status: 2 });
  });

  it("conversation_started: 200 with the welcome message (sender, text, keyboard) as the body; nothing delivered for the conversation", async () => {
    fake.setUser("ada", { name: "Ada Lovelace", language: "da" });
    const { status, welcome } = await fake.conversationStarted("ada");
    expect(status).toBe(200);
    expect(welcome).toMatchObject({ receiver: "ada", welcome: true, text: menu.text, sender: { name: "Demo Salon" }, minApiVersion: 7 });
    expect(welcome?.keyboard?.Buttons.map((b) => b.ActionBody)).toEqual(["g:book", "g:my"]);
    expect(welcomed.at(-1)).toEqual({ userId: "ada", profile: { name: "Ada Lovelace", languageCode: "da" } });
    expect(deliveries).toEqual([{ messages: [], statuses: [], notices: [] }]);
    const quiet = await fake.conversationStarted("quiet");
    expect(quiet).toMatchObject({ status: 200, body: "", welcome: null });
  });

  it("subscribed/unsubscribed become notices; text, button presses and the shared phone become messages", async () => {
    await fake.subscribe("ada");
    await fake.unsubscribe("ada");
    expect(deliveries.flatMap((d) => d.notices).map((n) => [n.userId, n.subscribed])).toEqual([["ada", true], ["ada", false]]);
    await fake.sendText("ada", "hello");
    await fake.pressButton("ada", "Book an appointment");
    await fake.sharePhone("ada", "4520123456");
    await fake.sendSticker("ada");
    expect(deliveries.flatMap((d) => d.messages).map((m) => m.event)).toEqual([
      { kind: "text", text: "hello" },
      { kind: "choice", id: "g:book" },
      { kind: "contact", phone: "+4520123456", name: "Ada Lovelace", verified: true },
      { kind: "unsupported" },
    ]);
    const ids = deliveries.flatMap((d) => d.messages).map((m) => m.eventId);
    expect(new Set(ids).size).toBe(4);
    expect(ids.every((id) => BigInt(id) > 2n ** 53n)).toBe(true);
  });

  it("delivery reports become statuses with the exact token", async () => {
    const welcome = (await fake.conversationStarted("ada")).welcome!;
    deliveries = [];
    await fake.deliveryReport(welcome, "seen");
    expect(deliveries[0]?.statuses).toMatchObject([{ providerMessageId: welcome.token, status: "read", recipientId: "ada", eventId: `${welcome.token}:seen` }]);
  });

  it("a More… press sends the next page itself and delivers nothing to the conversation", async () => {
    fake.setUser("bo", { subscribed: true });
    const times = Array.from({ length: 30 }, (_, i) => ({ id: `s:2:t:${i}`, label: `${10 + i}:00` }));
    await viberPlugin.createChannel({ credentials: viberPlugin.credentialsSchema.parse({ authToken: TOKEN, apiUrl: fake.apiUrl }), log }).send("bo", [{ text: "Free times:", choices: times }]);
    const mark = fake.lastSeq();
    const result = await fake.pressButton("bo", "More…");
    expect(result.status).toBe(200);
    expect(deliveries).toEqual([{ messages: [], statuses: [], notices: [] }]);
    const page = fake.messagesTo("bo", mark)[0]!;
    expect(page.text).toBe("Free times: (2/2)");
    await fake.pressButton("bo", "33:00"); // page 1 held 23 times (3 per row, 11 rows + More…)
    expect(deliveries.at(-1)?.messages[0]?.event).toEqual({ kind: "choice", id: "s:2:t:23" });
  });

  it("a missing or wrong signature gets 401 and delivers nothing", async () => {
    expect((await fake.sendText("ada", "hi", { signature: "missing" })).status).toBe(401);
    expect((await fake.sendText("ada", "hi", { signature: "wrong" })).status).toBe(401);
    const raw = viberJson({ event: "message", timestamp: 1, message_token: "5000000000000000009", sender: { id: "ada" }, message: { type: "text", text: "x" } });
    const res = await fetch(`${origin}/webhooks/viber/demo`, { method: "POST", headers: { "X-Viber-Content-Signature": "0".repeat(64) }, body: raw });
    expect(res.status).toBe(401);
    expect(deliveries).toEqual([]);
  });

  it("malformed (400), oversized (413), other methods (405); a failing deliver is a 500 so Viber retries", async () => {
    expect((await fake.post("{not json")).status).toBe(400);
    expect((await fake.post('{"event":"message","timestamp":1}')).status).toBe(400);
    expect((await fake.post("")).status).toBe(400);
    expect((await fake.post(JSON.stringify({ event: "message", pad: "x".repeat(1024 * 1024) }))).status).toBe(413);
    expect((await fake.post('{"event":"client_status","timestamp":1}')).status).toBe(200);
    expect((await fetch(`${origin}/webhooks/viber/demo`)).status).toBe(405);
    expect(deliveries).toEqual([{ messages: [], statuses: [], notices: [] }]);
    failDeliver = true;
    expect((await fake.sendText("ada", "hi")).status).toBe(500);
    failDeliver = false;
    expect((await fake.sendText("ada", "still serving")).status).toBe(200);
  });
});
