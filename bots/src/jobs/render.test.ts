import { DeliveryError, type OutboundMessage } from "@chairside/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramPlugin } from "../channels/telegram/index.js";
import { parseChoiceId } from "../conversation/ids.js";
import { MemoryLogger } from "../testing/scripted-chat.js";
import { FakeTelegram } from "../testing/fake-telegram.js";
import { renderNotification } from "./render.js";
import { channelSender, classifyProviderError } from "./senders.js";

const BOOKING = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
const NOW = new Date("2027-03-28T06:00:00Z");

function message(kind: string, data: Record<string, unknown> = {}, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    outboxId: "00000000-0000-4000-8000-000000000001",
    tenantId: "00000000-0000-4000-8000-000000000002",
    kind,
    category: "utility",
    channel: "telegram",
    recipient: "4242",
    template: null,
    data: {
      salonName: "Studio Nord",
      zone: "Europe/Copenhagen",
      salonLocale: "da-DK",
      clientLocale: "en",
      clientName: "Ada",
      bookingId: BOOKING,
      serviceName: "Cut",
      staffName: "Anna",
      startsAt: "2027-03-29T08:00:00.000Z",
      endsAt: "2027-03-29T09:00:00.000Z",
      ...data,
    },
    textOverrides: {},
    attempt: 1,
    ...extra,
  };
}

describe("renderNotification", () => {
  it("renders the 1 h reminder in the client's language, in the salon's zone, with Confirm / Reschedule / Cancel", () => {
    const prompt = renderNotification(message("reminder_1h", { actions: ["confirm", "reschedule", "cancel"] }), NOW);
    expect(prompt.text).toBe("See you soon! Cut with Anna on Monday 29 March at 10:00. Tap Confirm, or reschedule or cancel below.");
    expect(prompt.choices).toEqual([
      { id: `b:k:${BOOKING}`, label: "Confirm" },
      { id: `b:r:${BOOKING}`, label: "Reschedule" },
      { id: `b:c:${BOOKING}`, label: "Cancel" },
    ]);
    expect(prompt.choices!.map((c) => parseChoiceId(c.id))).toEqual([
      { scope: "booking", action: "confirm", bookingId: BOOKING },
      { scope: "booking", action: "reschedule", bookingId: BOOKING },
      { scope: "booking", action: "cancel", bookingId: BOOKING },
    ]);
  });

  it("speaks the salon's language when the client's is unknown, and uses the salon's own text when it has one", () => {
    expect(renderNotification(message("reminder_24h", { clientLocale: null }), NOW).text).toBe("Påmindelse: Cut hos Anna i Studio Nord mandag den 29. marts kl. 10:00.");
    const own = message("confirmation", {}, { textOverrides: { en: "{name}, see you {date} {time} at {salon}!" } });
    expect(renderNotification(own, NOW).text).toBe("Ada, see you Monday 29 March 10:00 at Studio Nord!");
  });

  it("adds the review link to the thank-you and a Book button to the re-activation nudge", () => {
    expect(renderNotification(message("thank_you", { reviewUrl: "https://g.page/r/x" }), NOW).text).toBe(
      "Thank you for visiting Studio Nord, Ada! If you have a minute, we would love a review: https://g.page/r/x",
    );
    const nudge = renderNotification(message("reactivation", { bookingId: undefined }), NOW);
    expect(nudge.choices).toEqual([{ id: "g:book", label: "Book an appointment" }]);
  });

  it("refuses data it cannot render", () => {
    expect(() => renderNotification(message("reminder_1h", { zone: 7 }), NOW)).toThrow(/zone/);
  });
});

describe("channelSender on Telegram (fake Bot API)", () => {
  let fake: FakeTelegram;
  const TOKEN = "123456:TEST-token-for-the-fake-bot-api-only";
  beforeAll(async () => {
    fake = await FakeTelegram.start({ token: TOKEN });
  });
  afterAll(async () => fake.close());

  it("sends the rendered reminder with its buttons and returns Telegram's message id", async () => {
    fake.setUser(4242, { first_name: "Ada" }); // the client has started the bot
    const channel = telegramPlugin.createChannel({ credentials: { token: TOKEN, apiRoot: fake.apiRoot }, log: new MemoryLogger() });
    const sender = channelSender("telegram", channel, () => NOW);
    const result = await sender.send(message("reminder_1h", { actions: ["confirm", "reschedule", "cancel"] }), { signal: AbortSignal.timeout(5000) });
    const sent = fake.botMessages(4242).at(-1)!;
    expect(result).toEqual({ providerMessageId: String(sent.message_id) });
    expect(sent.reply_markup?.inline_keyboard?.flat().map((b) => b.callback_data)).toEqual([`b:k:${BOOKING}`, `b:r:${BOOKING}`, `b:c:${BOOKING}`]);
  });

  it("reports a chat Telegram does not know as a permanent failure", async () => {
    const channel = telegramPlugin.createChannel({ credentials: { token: TOKEN, apiRoot: fake.apiRoot }, log: new MemoryLogger() });
    const error = await channelSender("telegram", channel, () => NOW)
      .send(message("reminder_24h", {}, { recipient: "999" }), { signal: AbortSignal.timeout(5000) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "DeliveryError", permanent: true, message: expect.stringContaining("chat not found") });
  });

  it("classifies provider errors: blocked or unknown chats are permanent, 429 waits, the rest is retried", () => {
    expect(classifyProviderError({ error_code: 403, message: "Forbidden: bot was blocked by the user" })).toMatchObject({ permanent: true });
    expect(classifyProviderError({ error_code: 429, message: "Too Many Requests", parameters: { retry_after: 7 } })).toMatchObject({ permanent: false, retryAfterMs: 7000 });
    expect(classifyProviderError(new Error("socket hang up"))).toMatchObject({ permanent: false });
    expect(classifyProviderError({ status: 500, message: "oops" })).toBeInstanceOf(DeliveryError);
  });
});
