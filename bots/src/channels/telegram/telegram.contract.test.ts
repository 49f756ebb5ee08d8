/**
 * Telegram passes the shared channel contract: real Update samples through the webhook handler,
 * rendering checked against the Bot API limits on a fake Bot API.
 */
import { readFileSync } from "node:fs";
import { FakeTelegram } from "../../testing/fake-telegram.js";
import { describeChannelContract } from "../contract.js";
import { telegramPlugin } from "./index.js";
import { SECRET_HEADER } from "./webhook.js";

const TOKEN = "123456:TEST-token-for-the-fake-bot-api-only";
const SECRET = "contract-secret_0123456789";
const sample = (name: string) => readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8");
const CHAT = 4242;

interface Button {
  text?: unknown;
  callback_data?: unknown;
}

/** What breaks https://core.telegram.org/bots/api#sendmessage and #inlinekeyboardmarkup limits in one sendMessage. */
function violations(request: unknown): string[] {
  const params = request as { text?: unknown; reply_markup?: unknown };
  const problems: string[] = [];
  if (typeof params.text !== "string" || params.text.length === 0 || params.text.length > 4096) problems.push("text must be 1-4096 characters");
  const markup = (typeof params.reply_markup === "string" ? JSON.parse(params.reply_markup) : params.reply_markup) as
    | { inline_keyboard?: Button[][]; keyboard?: Button[][] }
    | undefined;
  const inline = markup?.inline_keyboard ?? [];
  if (inline.flat().length > 100) problems.push(`${inline.flat().length} inline buttons (at most 100)`);
  for (const row of [...inline, ...(markup?.keyboard ?? [])]) {
    if (row.length > 8) problems.push(`${row.length} buttons in a row (at most 8)`);
    for (const b of row) {
      if (typeof b.text !== "string" || b.text.length === 0) problems.push("a button without text");
    }
  }
  for (const b of inline.flat()) {
    const data = typeof b.callback_data === "string" ? Buffer.byteLength(b.callback_data) : 0;
    if (data < 1 || data > 64) problems.push(`callback_data of ${data} bytes (1-64)`);
  }
  return problems;
}

describeChannelContract("Telegram", {
  plugin: telegramPlugin,
  credentials: { token: TOKEN, webhookSecret: SECRET },
  sign: () => ({ [SECRET_HEADER]: SECRET }),
  signatureCoversBody: false,
  samples: [
    { name: "/start", body: sample("message-start"), kinds: ["start"] },
    { name: "typed text", body: sample("message-text"), kinds: ["text"] },
    { name: "own contact", body: sample("message-contact-own"), kinds: ["contact"] },
    { name: "someone else's contact", body: sample("message-contact-other"), kinds: ["contact"] },
    { name: "button press", body: sample("callback-query"), kinds: ["choice"] },
    { name: "group message (ignored)", body: sample("message-group"), kinds: [] },
    { name: "edited message (ignored)", body: sample("edited-message"), kinds: [] },
  ],
  unsupportedSamples: [{ name: "sticker", body: sample("message-sticker") }],
  render: {
    async start() {
      const fake = await FakeTelegram.start({ token: TOKEN });
      fake.setUser(CHAT, { first_name: "Ada" });
      let mark = 0;
      return {
        credentials: { token: TOKEN, apiRoot: fake.apiRoot },
        chatId: String(CHAT),
        requests: () => fake.calls.slice(mark).filter((c) => c.method === "sendMessage").map((c) => c.params),
        reset: () => {
          mark = fake.calls.length;
        },
        close: () => fake.close(),
      };
    },
    violations,
  },
});
