/**
 * The channel against the fake Graph API on 127.0.0.1: what goes over the wire, what comes back
 * when Graph refuses, and paging end to end (a press on the last page comes back as its choice).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isDomainError } from "@chairside/core";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Choice, Logger } from "../../conversation/types.js";
import { da } from "../../i18n/da.js";
import { en } from "../../i18n/en.js";
import { FakeWhatsApp } from "../../testing/fake-whatsapp.js";
import type { WebhookDelivery } from "../plugin.js";
import { whatsappCredentialsSchema } from "./credentials.js";
import { WhatsAppApiError, whatsappPlugin } from "./index.js";
import { catalogueFor, graphFetch, type WhatsAppChannel } from "./whatsapp.channel.js";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const TOKEN = "EAAG-secret-access-token-never-logged";
const PHONE_ID = "106540352242922";
const USER = "4520123456";

const times = (n: number): Choice[] => Array.from({ length: n }, (_, i) => ({ id: `s:7:t:${(29_000_000 + i * 15).toString(36)}`, label: `slot ${i + 1}` }));
const nav: Choice[] = [
  { id: "s:7:back", label: en.back, nav: true },
  { id: "g:menu", label: en.toMenu, nav: true },
];

describe("WhatsAppChannel against the fake Graph API", () => {
  let fake: FakeWhatsApp;
  let channel: WhatsAppChannel;
  let server: Server;
  const deliveries: WebhookDelivery[] = [];
  const credentials = (overrides: Record<string, string> = {}) =>
    whatsappCredentialsSchema.parse({ phoneNumberId: PHONE_ID, accessToken: TOKEN, appSecret: "app-secret", verifyToken: "verify", graphUrl: fake.graphUrl, ...overrides });

  beforeAll(async () => {
    fake = await FakeWhatsApp.start({ accessToken: TOKEN, phoneNumberId: PHONE_ID, appSecret: "app-secret" });
    channel = whatsappPlugin.createChannel({ credentials: credentials(), log: silent }) as WhatsAppChannel;
    const app = express();
    app.all("/wh", whatsappPlugin.createWebhookHandler({ credentials: credentials(), log: silent, deliver: async (d) => void deliveries.push(d) }));
    server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    fake.webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wh`;
  });
  afterAll(async () => {
    await fake.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends text and reply buttons with the Bearer token to {graphUrl}/{phone-number-id}/messages", async () => {
    const mark = fake.mark();
    const ids = await channel.sendPrompts(USER, [{ text: "Hi!" }, { text: "Please confirm", choices: [{ id: "s:3:ok", label: "Confirm" }, ...nav] }]);
    const sent = fake.messagesTo(USER, mark);
    expect(ids).toEqual(sent.map((m) => m.id));
    expect(ids.every((id) => id.startsWith("wamid."))).toBe(true);
    expect(sent[0]!.request).toEqual({ messaging_product: "whatsapp", recipient_type: "individual", to: USER, type: "text", text: { body: "Hi!" } });
    expect(sent[1]!.request.interactive.action.buttons.map((b: any) => b.reply.title)).toEqual(["Confirm", "« Back", "Menu"]);
    expect(fake.requests.slice(-2)).toEqual([
      { method: "POST", path: `/v23.0/${PHONE_ID}/messages`, status: 200 },
      { method: "POST", path: `/v23.0/${PHONE_ID}/messages`, status: 200 },
    ]);
  });

  it("pages 30 choices so that a choice on the last list comes back as its own id", async () => {
    const mark = fake.mark();
    const choices = [...times(30), ...nav];
    await channel.send(USER, [{ text: "Free times:", choices }]);
    const sent = fake.messagesTo(USER, mark);
    expect(sent.map((m) => m.request.interactive.type)).toEqual(["list", "list", "list", "button"]);
    expect(sent.map((m) => m.request.interactive.body.text)).toEqual(["Free times:", en.moreChoices, en.moreChoices, en.moreChoices]);
    expect(sent[0]!.request.interactive.action.button).toBe(en.choose);

    const before = deliveries.length;
    const press = await fake.pressButton(USER, "slot 30");
    expect(press.status).toBe(200);
    expect(press.message.id).toBe(sent[2]!.id);
    expect(deliveries.slice(before).flatMap((d) => d.messages.map((m) => m.event))).toEqual([{ kind: "choice", id: choices[29]!.id }]);
  });

  it("uses the catalogue of the prompt's own language for its labels", async () => {
    const mark = fake.mark();
    await channel.send(USER, [{ text: "Hvem?", choices: [{ id: "a", label: "Anna" }, { id: "b", label: "Ben" }, { id: "s:1:back", label: da.back, nav: true }, { id: "g:menu", label: da.toMenu, nav: true }] }]);
    expect(fake.messagesTo(USER, mark)[0]!.request.interactive.action.button).toBe(da.choose);
    expect(catalogueFor({ text: "x", choices: [{ id: "x", label: "Anna" }] }, "da")).toBe(da);
    expect(catalogueFor({ text: "x", choices: [{ id: "x", label: en.menuBook }] }, "da")).toBe(en);
  });

  it("throws Graph's error code and message on a 500, without the token", async () => {
    fake.failNext(1, 500);
    const error = await channel.send(USER, [{ text: "Hi" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ status: 500, code: 1, providerMessage: "An unknown error has occurred." });
    expect((error as Error).message).toBe(`WhatsApp Cloud API refused POST /${PHONE_ID}/messages (HTTP 500, code 1): An unknown error has occurred.`);
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(TOKEN);
    // The outage is over: the next send goes through.
    expect(await channel.send(USER, [{ text: "Hi again" }])).toEqual([fake.sent.at(-1)!.id]);
  });

  it("throws code 190 on a wrong token (401) and a network error when Graph is unreachable", async () => {
    const wrong = whatsappPlugin.createChannel({ credentials: credentials({ accessToken: "EAAG-wrong" }), log: silent });
    await expect(wrong.send(USER, [{ text: "Hi" }])).rejects.toMatchObject({ name: "WhatsAppApiError", status: 401, code: 190 });
    const down = whatsappPlugin.createChannel({ credentials: credentials({ graphUrl: "http://127.0.0.1:9/v23.0" }), log: silent });
    await expect(down.send(USER, [{ text: "Hi" }])).rejects.toMatchObject({ name: "WhatsAppApiError", status: 0 });
  });

  it("never sends the token anywhere but the configured Graph URL", async () => {
    const calls: string[] = [];
    const spy = graphFetch("https://graph.example.test/v23.0", (async (url: string) => {
      calls.push(url);
      return new Response("{}", { status: 200 });
    }) as typeof fetch);
    await spy("https://graph.facebook.com/v23.0/1/messages", { method: "POST" });
    await expect(spy("https://evil.example/v23.0/1/messages")).rejects.toThrow(/unexpected URL/);
    expect(calls).toEqual(["https://graph.example.test/v23.0/1/messages"]);
  });

  it("sends a template: language, body parameters in order, quick-reply payloads", async () => {
    const mark = fake.mark();
    await channel.sendTemplate!(USER, "appointment_reminder", { name: "Ada", time: "Friday 6 March at 10:00", "button.0": "b:c:1234", "button.1": "g:my" });
    await channel.sendTemplate!(USER, "appointment_reminder", { language: "da", name: "Ada" });
    const [first, second] = fake.messagesTo(USER, mark).map((m) => m.request);
    expect(first).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: USER,
      type: "template",
      template: {
        name: "appointment_reminder",
        language: { code: "en", policy: "deterministic" },
        components: [
          { type: "body", parameters: [{ type: "text", text: "Ada" }, { type: "text", text: "Friday 6 March at 10:00" }] },
          { type: "button", sub_type: "quick_reply", index: 0, parameters: [{ type: "payload", payload: "b:c:1234" }] },
          { type: "button", sub_type: "quick_reply", index: 1, parameters: [{ type: "payload", payload: "g:my" }] },
        ],
      },
    });
    expect(second!.template.language.code).toBe("da");
  });

  it("refuses an empty template parameter or a bad name before calling Graph", async () => {
    const requests = fake.requests.length;
    const empty = await channel.sendTemplate!(USER, "appointment_reminder", { name: "  " }).catch((e: unknown) => e);
    expect(isDomainError(empty, "invalid_input")).toBe(true);
    await expect(channel.sendTemplate!(USER, "Bad Name", {})).rejects.toMatchObject({ code: "invalid_input" });
    await expect(channel.sendTemplate!(USER, "t", { "button.1": "x" })).rejects.toMatchObject({ code: "invalid_input" });
    expect(fake.requests.length).toBe(requests);
  });

  it("parses a webhook payload for its own phone number only", () => {
    const payload = {
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { metadata: { phone_number_id: PHONE_ID }, messages: [{ from: USER, id: "wamid.1", type: "text", text: { body: "hi" } }] } }] }],
    };
    expect(channel.parse(payload).map((m) => m.event)).toEqual([{ kind: "text", text: "hi" }]);
    payload.entry[0]!.changes[0]!.value.metadata.phone_number_id = "1";
    expect(channel.parse(payload)).toEqual([]);
  });
});
