import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { messageTokenSchema, parseCallback, parseMessages, parseViberJson, quoteMessageTokens } from "./parse.js";
import { renderPrompt } from "./render.js";

/** A sample's raw text, exactly as in the docs (tokens as bare 64-bit numbers). */
const raw = (name: string): string => readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8");
const profile = { name: "John McClane", languageCode: "en" };

describe("message_token precision", () => {
  it("keeps every digit of tokens beyond 2^53, where JSON.parse rounds", () => {
    const text = raw("delivered");
    expect(String((JSON.parse(text) as { message_token: number }).message_token)).not.toBe("4912661846655238145");
    expect((parseViberJson(text) as { message_token: string }).message_token).toBe("4912661846655238145");
    // Consecutive tokens stay distinct (as doubles they are the same number).
    expect(Number("4912661846655238146") === Number("4912661846655238147")).toBe(true);
    expect(parseCallback(raw("message-contact"))?.messages[0]?.eventId).toBe("4912661846655238146");
    expect(parseCallback(raw("message-picture"))?.messages[0]?.eventId).toBe("4912661846655238147");
  });

  it("rewrites only the message_token key, never text that looks like it", () => {
    const body = String.raw`{"message":{"text":"\"message_token\": 12345678901234567890","x":"a\\"},"message_token" : 12345678901234567890,"n":12345678901234567890}`;
    const out = quoteMessageTokens(body);
    expect(out).toBe(String.raw`{"message":{"text":"\"message_token\": 12345678901234567890","x":"a\\"},"message_token" : "12345678901234567890","n":12345678901234567890}`);
    expect(JSON.parse(out)).toMatchObject({ message: { text: '"message_token": 12345678901234567890' }, message_token: "12345678901234567890" });
    expect(quoteMessageTokens('{"message_token":1.5e3}')).toBe('{"message_token":1.5e3}');
  });

  it("accepts a number token only while it is exact", () => {
    expect(messageTokenSchema.parse(241256543215)).toBe("241256543215");
    expect(messageTokenSchema.safeParse(4912661846655238145).success).toBe(false);
    expect(messageTokenSchema.parse("4912661846655238145")).toBe("4912661846655238145");
  });
});

describe("parseCallback (the documentation's samples)", () => {
  it("webhook: the set_webhook handshake, nothing to deliver", () => {
    expect(parseCallback(raw("webhook"))).toEqual({ event: "webhook", messages: [], statuses: [], notices: [] });
  });

  it("conversation_started: the user to welcome, no conversation input", () => {
    expect(parseCallback(raw("conversation-started"))).toEqual({
      event: "conversation_started",
      messages: [],
      statuses: [],
      notices: [],
      conversationStarted: { userId: "01234567890A=", profile, subscribed: false, eventId: "4912661846655238145:conversation_started" },
    });
  });

  it("subscribed and unsubscribed: subscription notices", () => {
    expect(parseCallback(raw("subscribed"))?.notices).toEqual([{ kind: "subscription", userId: "01234567890A=", subscribed: true, eventId: "4912661846655238145:subscribed" }]);
    expect(parseCallback(raw("unsubscribed"))?.notices).toEqual([{ kind: "subscription", userId: "01234567890A=", subscribed: false, eventId: "4912661846655238145:unsubscribed" }]);
  });

  it("delivered, seen, failed: delivery reports with the exact token", () => {
    const at = new Date(1457764197627);
    const base = { providerMessageId: "4912661846655238145", recipientId: "01234567890A=", at };
    expect(parseCallback(raw("delivered"))?.statuses).toEqual([{ ...base, status: "delivered", eventId: "4912661846655238145:delivered" }]);
    expect(parseCallback(raw("seen"))?.statuses).toEqual([{ ...base, status: "read", eventId: "4912661846655238145:seen" }]);
    expect(parseCallback(raw("failed"))?.statuses).toEqual([
      { ...base, status: "failed", eventId: "4912661846655238145:failed", error: { code: "failed", message: "failure description" } },
    ]);
  });

  it("message text: a text event from sender.id, with the sender's name and language", () => {
    expect(parseCallback(raw("message-text"))?.messages).toEqual([
      { chatId: "01234567890A=", userId: "01234567890A=", eventId: "4912661846655238145", profile, event: { kind: "text", text: "a message to the service" } },
    ]);
  });

  it("message contact: a verified contact (the share-phone button) and the profile's verified phone", () => {
    expect(parseCallback(raw("message-contact"))?.messages).toEqual([
      {
        chatId: "01234567890A=",
        userId: "01234567890A=",
        eventId: "4912661846655238146",
        profile: { ...profile, verifiedPhone: "+972511123123" },
        event: { kind: "contact", phone: "+972511123123", name: "Itamar", verified: true },
      },
    ]);
    const noPlus = JSON.parse(quoteMessageTokens(raw("message-contact"))) as { message: { contact: { phone_number: string } } };
    noPlus.message.contact.phone_number = "4520123456";
    expect(parseMessages(noPlus)[0]?.event).toMatchObject({ kind: "contact", phone: "+4520123456", verified: true });
  });

  it("picture, sticker, location: unsupported", () => {
    for (const name of ["message-picture", "message-sticker", "message-location"]) {
      expect(parseCallback(raw(name))?.messages.map((m) => m.event), name).toEqual([{ kind: "unsupported" }]);
    }
  });
});

describe("parseCallback (button presses and bad input)", () => {
  const message = (text: string, trackingData?: string) =>
    JSON.stringify({
      event: "message",
      timestamp: 1,
      message_token: "5000000000000000001",
      sender: { id: "u1", name: "Ada" },
      message: { type: "text", text, ...(trackingData ? { tracking_data: trackingData } : {}) },
    });

  it("a reply button's ActionBody that is a choice id is a choice; other text stays text", () => {
    expect(parseCallback(message("s:4:t:vkl2c0"))?.messages[0]?.event).toEqual({ kind: "choice", id: "s:4:t:vkl2c0" });
    expect(parseCallback(message("g:book"))?.messages[0]?.event).toEqual({ kind: "choice", id: "g:book" });
    expect(parseCallback(message("b:c:clx123"))?.messages[0]?.event).toEqual({ kind: "choice", id: "b:c:clx123" });
    expect(parseCallback(message("Book an appointment"))?.messages[0]?.event).toEqual({ kind: "text", text: "Book an appointment" });
    expect(parseCallback(message("s: hello"))?.messages[0]?.event).toEqual({ kind: "text", text: "s: hello" });
    expect(parseCallback(message(`s:${"x".repeat(70)}`))?.messages[0]?.event.kind).toBe("text");
  });

  it("More… with our paging state is a page request for the channel, not conversation input", () => {
    const times = Array.from({ length: 40 }, (_, i) => ({ id: `s:2:t:${i}`, label: `1${i}` }));
    const first = renderPrompt({ text: "Times", choices: times }, { more: "More…" });
    const parsed = parseCallback(message("page:1", first.tracking_data));
    expect(parsed?.messages).toEqual([]);
    expect(parsed?.page).toMatchObject({ userId: "u1", page: 1, eventId: "5000000000000000001" });
    expect(parsed?.page?.pages.o).toHaveLength(40);
    // Without the state (typed by hand, or a foreign tracking_data) it is just text.
    expect(parseCallback(message("page:1"))?.messages[0]?.event).toEqual({ kind: "text", text: "page:1" });
    expect(parseCallback(message("page:1", "tracking data"))?.messages[0]?.event).toEqual({ kind: "text", text: "page:1" });
  });

  it("malformed bodies give null (400); unknown events give nothing (200)", () => {
    expect(parseCallback("{not json")).toBeNull();
    expect(parseCallback(Buffer.from(""))).toBeNull();
    expect(parseCallback("[]")).toBeNull();
    expect(parseCallback('{"event":"message","timestamp":1,"message_token":1}')).toBeNull();
    expect(parseCallback('{"event":"delivered","timestamp":1,"user_id":"u"}')).toBeNull();
    expect(parseCallback('{"event":"client_status","timestamp":1}')).toEqual({ event: "client_status", messages: [], statuses: [], notices: [] });
    expect(parseMessages(null)).toEqual([]);
    expect(parseMessages("{")).toEqual([]);
  });
});
