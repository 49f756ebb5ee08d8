import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeViber, viberJson } from "./fake-viber.js";

const TOKEN = "fake-viber-test-token-0123456789";

describe("FakeViber (REST Bot API wire format)", () => {
  let fake: FakeViber;
  let bot: http.Server;
  let received: { headers: http.IncomingHttpHeaders; body: string }[];
  let answer: (body: string) => { status: number; body?: string };

  const call = async (method: string, body: unknown, token: string | null = TOKEN) => {
    const res = await fetch(`${fake.apiUrl}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { "X-Viber-Auth-Token": token } : {}) },
      body: JSON.stringify(body),
    });
    return { http: res.status, raw: await res.text() };
  };
  const message = (extra: Record<string, unknown> = {}) => ({ receiver: "u1", min_api_version: 7, sender: { name: "Salon" }, type: "text", text: "Hi", ...extra });

  beforeEach(async () => {
    received = [];
    answer = () => ({ status: 200 });
    bot = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        received.push({ headers: req.headers, body });
        const { status, body: out } = answer(body);
        res.writeHead(status, { "content-type": "application/json" });
        res.end(out ?? "");
      });
    });
    await new Promise<void>((resolve) => bot.listen(0, "127.0.0.1", resolve));
    fake = await FakeViber.start({ authToken: TOKEN, webhookOrigin: `http://127.0.0.1:${(bot.address() as AddressInfo).port}` });
  });
  afterEach(async () => {
    await fake.close();
    await new Promise<void>((resolve) => bot.close(() => resolve()));
  });

  it("answers HTTP 200 with a status: invalidAuthToken for a missing or wrong token, 404 for unknown methods", async () => {
    expect(await call("get_account_info", {}, null)).toEqual({ http: 200, raw: '{"status":2,"status_message":"invalidAuthToken"}' });
    expect(await call("get_account_info", {}, "nope")).toEqual({ http: 200, raw: '{"status":2,"status_message":"invalidAuthToken"}' });
    expect((await call("launch_rocket", {})).http).toBe(404);
    expect(JSON.parse((await call("get_account_info", {})).raw)).toMatchObject({ status: 0, status_message: "ok", name: "Chairside Test" });
  });

  it("set_webhook: https only, and only after the URL answered a signed webhook callback with 200", async () => {
    expect(JSON.parse((await call("set_webhook", { url: "http://plain.example.test/hook" })).raw)).toMatchObject({ status: 1 });
    answer = () => ({ status: 401 });
    expect(JSON.parse((await call("set_webhook", { url: "https://bot.example.test/hook" })).raw)).toMatchObject({ status: 1, status_message: "invalidUrl: the webhook answered HTTP 401" });
    expect(fake.webhookUrl).toBeNull();
    answer = () => ({ status: 200 });
    const ok = JSON.parse((await call("set_webhook", { url: "https://bot.example.test/hook", event_types: ["delivered"] })).raw);
    expect(ok).toEqual({ status: 0, status_message: "ok", event_types: ["delivered"] });
    const handshake = received.at(-1)!;
    expect(handshake.body).toMatch(/^\{"event":"webhook","timestamp":\d+,"chat_hostname":"SN-FAKE_","message_token":\d{19}\}$/);
    expect(handshake.headers["x-viber-content-signature"]).toBe(createHmac("sha256", TOKEN).update(handshake.body).digest("hex"));
  });

  it("send_message: only to subscribed users; answers a 64-bit message_token as a bare number", async () => {
    expect(JSON.parse((await call("send_message", message())).raw)).toEqual({ status: 5, status_message: "receiverNotRegistered" });
    fake.setUser("u1", {});
    expect(JSON.parse((await call("send_message", message())).raw)).toEqual({ status: 6, status_message: "receiverNotSubscribed" });
    fake.setUser("u1", { subscribed: true });
    const { raw } = await call("send_message", message());
    const token = /"message_token":(\d+)/.exec(raw)?.[1];
    expect(raw).toMatch(/^\{"status":0,"status_message":"ok","message_token":\d{19},"chat_hostname":"SN-FAKE_","billing_status":1\}$/);
    expect(BigInt(token!)).toBeGreaterThan(2n ** 53n);
    expect(fake.messagesTo("u1")).toMatchObject([{ token, receiver: "u1", text: "Hi", welcome: false }]);
  });

  it.each([
    ["a long sender name", { sender: { name: "x".repeat(29) } }],
    ["no sender", { sender: undefined }],
    ["empty text", { text: " " }],
    ["text over 7000", { text: "x".repeat(7001) }],
    ["a picture", { type: "picture" }],
    ["tracking_data over 4096", { tracking_data: "x".repeat(4097) }],
    ["a keyboard without Type", { keyboard: { Buttons: [{ ActionBody: "a", Text: "A" }] } }],
    ["an empty keyboard", { keyboard: { Type: "keyboard", Buttons: [] } }],
    ["7 columns", { keyboard: { Type: "keyboard", Buttons: [{ ActionBody: "a", Text: "A", Columns: 7 }] } }],
    ["no ActionBody", { keyboard: { Type: "keyboard", Buttons: [{ Text: "A" }] } }],
    ["an unknown ActionType", { keyboard: { Type: "keyboard", Buttons: [{ ActionBody: "a", Text: "A", ActionType: "launch" }] } }],
    ["25 buttons", { keyboard: { Type: "keyboard", Buttons: Array.from({ length: 25 }, () => ({ ActionBody: "a", Text: "A", Columns: 1 })) } }],
    ["13 rows", { keyboard: { Type: "keyboard", Buttons: Array.from({ length: 13 }, () => ({ ActionBody: "a", Text: "A", Columns: 6 })) } }],
    ["a 251-character Text", { keyboard: { Type: "keyboard", Buttons: [{ ActionBody: "a", Text: "x".repeat(251) }] } }],
  ])("send_message refuses %s (badData / missingData)", async (_name, extra) => {
    fake.setUser("u1", { subscribed: true });
    const answer = JSON.parse((await call("send_message", message(extra))).raw) as { status: number };
    expect([3, 4]).toContain(answer.status);
    expect(fake.messagesTo("u1")).toEqual([]);
  });

  it("signs callbacks as Viber does, or wrongly, or not at all; tokens are bare 64-bit numbers", async () => {
    await call("set_webhook", { url: "https://bot.example.test/hook" });
    await fake.sendText("u1", "hello");
    await fake.sendText("u1", "again", { signature: "wrong" });
    await fake.sendText("u1", "third", { signature: "missing" });
    const [, valid, wrong, missing] = received;
    expect(valid!.headers["x-viber-content-signature"]).toBe(createHmac("sha256", TOKEN).update(valid!.body).digest("hex"));
    expect(wrong!.headers["x-viber-content-signature"]).not.toBe(createHmac("sha256", TOKEN).update(wrong!.body).digest("hex"));
    expect(missing!.headers["x-viber-content-signature"]).toBeUndefined();
    expect(valid!.body).toMatch(/"message_token":\d{19},"sender":\{"id":"u1","name":"Ada Lovelace"/);
    expect(fake.userInfo("u1").subscribed).toBe(true); // a first message subscribes
    expect(viberJson({ message_token: "12345678901234567890", text: "message_token" })).toBe('{"message_token":12345678901234567890,"text":"message_token"}');
  });

  it("conversationStarted returns the welcome message from the response body; pressButton sends a button's ActionBody with the last tracking_data", async () => {
    await call("set_webhook", { url: "https://bot.example.test/hook" });
    const welcome = { sender: { name: "Salon" }, type: "text", text: "Welcome", tracking_data: "t1", keyboard: { Type: "keyboard", Buttons: [{ ActionType: "reply", ActionBody: "g:book", Text: "Book &amp; go" }, { ActionType: "share-phone", ActionBody: "share-phone", Text: "Share" }] } };
    answer = (body) => (body.includes("conversation_started") ? { status: 200, body: JSON.stringify(welcome) } : { status: 200 });
    const started = await fake.conversationStarted("u1", { context: "promo" });
    expect(started.welcome).toMatchObject({ receiver: "u1", text: "Welcome", welcome: true, trackingData: "t1" });
    expect(JSON.parse(received.at(-1)!.body)).toMatchObject({ event: "conversation_started", type: "open", context: "promo", user: { id: "u1" }, subscribed: false });

    await fake.pressButton("u1", "Book & go");
    expect(JSON.parse(received.at(-1)!.body).message).toEqual({ type: "text", text: "g:book", tracking_data: "t1" });
    await fake.pressButton("u1", (b) => b.ActionType === "share-phone", { phone: "+4520123456" });
    expect(JSON.parse(received.at(-1)!.body).message).toEqual({ type: "contact", contact: { name: "Ada Lovelace", phone_number: "+4520123456" }, tracking_data: "t1" });
    await expect(fake.pressButton("u1", "Nope")).rejects.toThrow(/No button Nope/);
  });

  it("waitForMessage resolves with the bot's next message after the user's action", async () => {
    await call("set_webhook", { url: "https://bot.example.test/hook" });
    await fake.sendText("u1", "hi");
    const waiting = fake.waitForMessage("u1", (m) => m.text === "Reply", { timeoutMs: 2000 });
    await call("send_message", message({ text: "Reply" }));
    expect((await waiting).text).toBe("Reply");
    await expect(fake.waitForMessage("u1", (m) => m.text === "never", { timeoutMs: 50 })).rejects.toThrow(/No matching message to u1/);
  });
});
