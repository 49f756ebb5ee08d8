import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "./fake-telegram.js";

const TOKEN = "123456:TEST-token-for-the-fake-bot-api-only";

describe("FakeTelegram (Bot API wire format)", () => {
  let fake: FakeTelegram;
  const call = async (method: string, params: Record<string, unknown> = {}, init: RequestInit = {}) => {
    const res = await fetch(`${fake.apiRoot}/bot${TOKEN}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
      ...init,
    });
    return { status: res.status, body: (await res.json()) as { ok: boolean; result?: any; error_code?: number; description?: string } };
  };

  beforeEach(async () => {
    fake = await FakeTelegram.start({ token: TOKEN });
  });
  afterEach(async () => fake.close());

  it("answers getMe and refuses a wrong token and unknown methods", async () => {
    expect((await call("getMe")).body.result).toMatchObject({ id: 123456, is_bot: true, username: "chairside_test_bot" });
    const wrong = await fetch(`${fake.apiRoot}/bot999:nope/getMe`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
    expect(await call("launchRocket")).toEqual({ status: 404, body: { ok: false, error_code: 404, description: "Not Found: method not found" } });
  });

  it("holds a long poll until an update arrives, and confirms updates by offset", async () => {
    const poll = call("getUpdates", { timeout: 30 });
    await new Promise((r) => setTimeout(r, 50));
    const sent = fake.sendText(42, "hello");
    const first = await poll;
    expect(first.body.result).toEqual([sent]);
    // Not confirmed yet: delivered again.
    expect((await call("getUpdates", { timeout: 0 })).body.result).toEqual([sent]);
    // Confirmed by a higher offset: gone.
    expect((await call("getUpdates", { offset: sent.update_id + 1, timeout: 0 })).body.result).toEqual([]);
  });

  it("ends an empty long poll when its timeout elapses", async () => {
    const poll = await call("getUpdates", { timeout: 1 });
    expect(poll.body).toEqual({ ok: true, result: [] });
  });

  it("respects limit and accepts form bodies", async () => {
    fake.sendText(42, "a");
    fake.sendText(42, "b");
    const res = await fetch(`${fake.apiRoot}/bot${TOKEN}/getUpdates`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "limit=1&timeout=0",
    });
    const body = (await res.json()) as { result: { message: { text: string } }[] };
    expect(body.result.map((u) => u.message.text)).toEqual(["a"]);
  });

  it("records sent messages, lets the client press their buttons, and edits them", async () => {
    fake.sendText(7, "/start");
    const sent = await call("sendMessage", {
      chat_id: 7,
      text: "Pick",
      reply_markup: { inline_keyboard: [[{ text: "One", callback_data: "c:1" }]] },
    });
    expect(sent.body.result).toMatchObject({ message_id: 2, chat: { id: 7 }, text: "Pick" });
    const message = await fake.waitForMessage(7, (m) => m.text === "Pick", { after: 0 });
    const { update } = fake.pressButton(7, "One");
    expect(update).toMatchObject({ callback_query: { data: "c:1", message: { message_id: message.message_id } } });
    const callbackId = "callback_query" in update ? update.callback_query.id : "";
    expect((await call("answerCallbackQuery", { callback_query_id: callbackId })).body.result).toBe(true);
    expect(fake.wasAnswered(callbackId)).toBe(true);
    expect((await call("answerCallbackQuery", { callback_query_id: callbackId })).status).toBe(400);
    await call("editMessageReplyMarkup", { chat_id: 7, message_id: message.message_id, reply_markup: { inline_keyboard: [] } });
    expect(() => fake.pressButton(7, "One")).toThrow(/No inline button/);
    expect((await call("editMessageReplyMarkup", { chat_id: 7, message_id: message.message_id })).body.description).toMatch(/not modified/);
    const edited = await call("editMessageText", { chat_id: 7, message_id: message.message_id, text: "Picked" });
    expect(edited.body.result).toMatchObject({ text: "Picked" });
  });

  it("refuses what Telegram refuses", async () => {
    expect((await call("sendMessage", { chat_id: 99, text: "hi" })).body.description).toBe("Bad Request: chat not found");
    fake.sendText(8, "hi");
    expect((await call("sendMessage", { chat_id: 8, text: "" })).body.description).toBe("Bad Request: message text is empty");
    const long = await call("sendMessage", { chat_id: 8, text: "x", reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "y".repeat(65) }]] } });
    expect(long.body.description).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  it("in webhook mode refuses getUpdates and posts updates with the secret header", async () => {
    const http = await import("node:http");
    const received: { secret: string | undefined; body: unknown }[] = [];
    const server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        received.push({ secret: req.headers["x-telegram-bot-api-secret-token"] as string | undefined, body: JSON.parse(raw) });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    await call("setWebhook", { url: `http://127.0.0.1:${port}/hook`, secret_token: "s3cret" });
    expect((await call("getUpdates")).status).toBe(409);
    const update = fake.sendText(5, "hi");
    while (fake.webhookDeliveries.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(received).toEqual([{ secret: "s3cret", body: update }]);
    expect(fake.webhookDeliveries).toEqual([{ updateId: update.update_id, status: 200 }]);
    await new Promise<void>((r) => server.close(() => r()));
  });
});
