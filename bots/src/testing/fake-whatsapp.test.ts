import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeWhatsApp } from "./fake-whatsapp.js";

const TOKEN = "EAAG-fake-token";
const PHONE_ID = "106540352242922";
const SECRET = "fake-app-secret";

describe("FakeWhatsApp (Cloud API wire format)", () => {
  let fake: FakeWhatsApp;
  let receiver: http.Server;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200).end("OK");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    fake = await FakeWhatsApp.start({ accessToken: TOKEN, phoneNumberId: PHONE_ID, appSecret: SECRET, webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/` });
  });
  afterAll(async () => {
    await fake.close();
    await new Promise((resolve) => receiver.close(resolve));
  });
  beforeEach(() => {
    received.length = 0;
  });

  const send = async (message: Record<string, unknown>, token = TOKEN, path = `/${PHONE_ID}/messages`) => {
    const res = await fetch(`${fake.graphUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ messaging_product: "whatsapp", to: "4520123456", ...message }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const button = (id: string, title: string) => ({ type: "reply", reply: { id, title } });
  const list = (rows: { id: string; title: string; description?: string }[], extra: Record<string, unknown> = {}) => ({
    type: "interactive",
    interactive: { type: "list", body: { text: "Pick" }, action: { button: "Choose", sections: [{ rows }] }, ...extra },
  });
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));

  it("accepts a text message, answers with a wamid and records it", async () => {
    const { status, body } = await send({ type: "text", text: { body: "Hello" } });
    expect(status).toBe(200);
    expect(body).toEqual({ messaging_product: "whatsapp", contacts: [{ input: "4520123456", wa_id: "4520123456" }], messages: [{ id: expect.stringMatching(/^wamid\./) }] });
    expect(fake.sent.at(-1)).toMatchObject({ id: body.messages[0].id, to: "4520123456", request: { type: "text", text: { body: "Hello" } } });
  });

  it("refuses a wrong token with 401 (code 190) and an unknown phone number id with 400", async () => {
    const wrong = await send({ type: "text", text: { body: "x" } }, "nope");
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 190, type: "OAuthException", fbtrace_id: expect.any(String) });
    const other = await send({ type: "text", text: { body: "x" } }, TOKEN, "/999/messages");
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it.each([
    ["an empty text", { type: "text", text: { body: "" } }, 131008],
    ["a text over 4096", { type: "text", text: { body: "x".repeat(4097) } }, 131009],
    ["4 reply buttons", { type: "interactive", interactive: { type: "button", body: { text: "b" }, action: { buttons: [1, 2, 3, 4].map((i) => button(`${i}`, `${i}`)) } } }, 131009],
    ["a button title over 20", { type: "interactive", interactive: { type: "button", body: { text: "b" }, action: { buttons: [button("a", "x".repeat(21))] } } }, 131009],
    ["duplicate button titles", { type: "interactive", interactive: { type: "button", body: { text: "b" }, action: { buttons: [button("a", "Same"), button("b", "Same")] } } }, 131009],
    ["a button body over 1024", { type: "interactive", interactive: { type: "button", body: { text: "b".repeat(1025) }, action: { buttons: [button("a", "A")] } } }, 131009],
    ["11 list rows", list(rows(11)), 131009],
    ["a row title over 24", list([{ id: "a", title: "x".repeat(25) }]), 131009],
    ["a row description over 72", list([{ id: "a", title: "a", description: "d".repeat(73) }]), 131009],
    ["a row id over 200", list([{ id: "i".repeat(201), title: "a" }]), 131009],
    ["duplicate row ids", list([{ id: "a", title: "a" }, { id: "a", title: "b" }]), 131009],
    ["an empty template parameter", { type: "template", template: { name: "t", language: { code: "en" }, components: [{ type: "body", parameters: [{ type: "text", text: "" }] }] } }, 131008],
    ["a template parameter with a new line", { type: "template", template: { name: "t", language: { code: "en" }, components: [{ type: "body", parameters: [{ type: "text", text: "a\nb" }] }] } }, 132018],
    ["an unsupported type", { type: "sticker", sticker: { id: "1" } }, 131009],
  ])("refuses %s with a Graph-style 400", async (_name, message, code) => {
    const before = fake.sent.length;
    const { status, body } = await send(message as Record<string, unknown>);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code, type: "OAuthException", message: expect.any(String), fbtrace_id: expect.any(String) });
    expect(fake.sent.length).toBe(before);
  });

  it("accepts 10 list rows and a template with quick-reply payloads", async () => {
    expect((await send(list(rows(10)))).status).toBe(200);
    const template = { name: "reminder", language: { code: "en" }, components: [{ type: "body", parameters: [{ type: "text", text: "Ada" }] }, { type: "button", sub_type: "quick_reply", index: "0", parameters: [{ type: "payload", payload: "p" }] }] };
    expect((await send({ type: "template", template })).status).toBe(200);
  });

  it("fails the next n requests with the given status", async () => {
    fake.failNext(2, 503);
    expect((await send({ type: "text", text: { body: "a" } })).status).toBe(503);
    const second = await send({ type: "text", text: { body: "a" } });
    expect(second).toMatchObject({ status: 503, body: { error: { code: 2 } } });
    expect((await send({ type: "text", text: { body: "a" } })).status).toBe(200);
  });

  it("posts the client's messages as signed webhooks, escaped as Meta does, or signed wrongly on request", async () => {
    fake.setName("4520123456", "Åse Ørsted");
    const result = await fake.sendText("4520123456", "Hej 😀");
    expect(result.status).toBe(200);
    const { headers, body } = received[0]!;
    expect(body).not.toMatch(/[^\0-~]/);
    expect(headers["x-hub-signature-256"]).toBe(`sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`);
    const payload = JSON.parse(body);
    expect(payload.entry[0].changes[0]).toEqual({
      field: "messages",
      value: {
        messaging_product: "whatsapp",
        metadata: { display_phone_number: "15550783881", phone_number_id: PHONE_ID },
        contacts: [{ profile: { name: "Åse Ørsted" }, wa_id: "4520123456" }],
        messages: [{ from: "4520123456", id: result.wamid, timestamp: expect.stringMatching(/^\d+$/), type: "text", text: { body: "Hej 😀" } }],
      },
    });
    await fake.sendText("4520123456", "x", { signature: "wrong" });
    await fake.sendText("4520123456", "x", { signature: "missing" });
    expect(received[1]!.headers["x-hub-signature-256"]).not.toBe(`sha256=${createHmac("sha256", SECRET).update(received[1]!.body).digest("hex")}`);
    expect(received[2]!.headers["x-hub-signature-256"]).toBeUndefined();
  });

  it("presses a row of the newest list that has it, with that message as context", async () => {
    await send(list([{ id: "s:1:t:a", title: "09:00" }, { id: "s:1:t:b", title: "09:15", description: "Anna" }, ...rows(2)]));
    const listId = fake.sent.at(-1)!.id;
    await send({ type: "text", text: { body: "In between" } });
    const press = await fake.pressButton("4520123456", "09:15");
    expect(press.message.id).toBe(listId);
    const message = JSON.parse(received.at(-1)!.body).entry[0].changes[0].value.messages[0];
    expect(message).toMatchObject({ context: { from: "15550783881", id: listId }, type: "interactive", interactive: { type: "list_reply", list_reply: { id: "s:1:t:b", title: "09:15", description: "Anna" } } });
    await expect(fake.pressButton("4520123456", "10:00")).rejects.toThrow(/No button or row 10:00/);
  });

  it("emits status webhooks, a failure with 131047 by default", async () => {
    await fake.emitStatus("wamid.x", "failed");
    const status = JSON.parse(received[0]!.body).entry[0].changes[0].value.statuses[0];
    expect(status).toMatchObject({ id: "wamid.x", status: "failed", errors: [{ code: 131047, title: "Re-engagement message" }] });
  });

  it("waits for the bot's next message to a user", async () => {
    await fake.sendText("4520999999", "hi");
    const waiting = fake.waitForMessage("4520999999", (m) => fake.textOf(m) === "Answer", { timeoutMs: 2000 });
    await fetch(`${fake.graphUrl}/${PHONE_ID}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ messaging_product: "whatsapp", to: "4520999999", type: "text", text: { body: "Answer" } }),
    });
    expect(fake.textOf(await waiting)).toBe("Answer");
    await expect(fake.waitForMessage("4520999999", () => false, { timeoutMs: 50 })).rejects.toThrow(/No matching message/);
  });
});
