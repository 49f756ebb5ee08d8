/**
 * Parsing of the payload samples in ./samples. Their shapes (and example values) are those of
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples and the
 * webhook reference; batch-two-entries.json combines those shapes (two messages in one change,
 * a second entry with another sender and a status).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { envelopeSchema, parseEnvelope, parsePayload, parseStatus } from "./parse.js";

const sample = (name: string): any => JSON.parse(readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8"));
const PHONE_ID = "106540352242922";
const parse = (payload: unknown) => parseEnvelope(envelopeSchema.parse(payload), PHONE_ID);
const firstMessage = (s: any) => s.entry[0].changes[0].value.messages[0];

const sheena = { name: "Sheena Nelson", verifiedPhone: "+16505551234" };

describe("parse: messages (samples from the docs)", () => {
  it("reads a text message: chat and user are the wa_id, the event id the wamid, the phone verified", () => {
    expect(parse(sample("text"))).toEqual({
      messages: [
        {
          chatId: "16505551234",
          userId: "16505551234",
          eventId: "wamid.HBgLMTY1MDUwNzY1MjAVAgIAEhggNDM5NjNFMTQ2RTUyQTJDMzk0NzYxMTRGNEIwNTk3OTMA",
          profile: sheena,
          event: { kind: "text", text: "Does it come in another color?" },
        },
      ],
      statuses: [],
      skipped: [],
    });
  });

  it.each([
    ["interactive-button-reply", "cancel-button"],
    ["interactive-list-reply", "priority_express"],
    ["template-quick-reply", "No-Button-Payload"],
  ])("reads %s as the choice %s", (name, id) => {
    const [message] = parse(sample(name)).messages;
    expect(message?.event).toEqual({ kind: "choice", id });
    expect(message?.eventId).toBe(firstMessage(sample(name)).id);
    expect(message?.profile).toEqual(sheena);
  });

  it("marks an image unsupported, and so every type it cannot read", () => {
    expect(parse(sample("image")).messages[0]?.event).toEqual({ kind: "unsupported" });
    for (const type of ["sticker", "audio", "voice", "video", "location", "document", "reaction", "unknown", "unsupported", "order"]) {
      const s = sample("text");
      const m = firstMessage(s);
      delete m.text;
      m.type = type;
      m[type] = { id: "1" };
      expect(parse(s).messages[0]?.event, type).toEqual({ kind: "unsupported" });
    }
  });

  it("counts a shared contact card as verified only when it is the sender's own wa_id", () => {
    expect(parse(sample("contacts-own")).messages[0]?.event).toEqual({ kind: "contact", phone: "+16505551234", name: "Sheena Nelson", verified: true });
    expect(parse(sample("contacts-other")).messages[0]?.event).toEqual({ kind: "contact", phone: "+1 (940) 555-1234", name: "Barbara J. Johnson", verified: false });
  });

  it("handles every message of every entry of a batch", () => {
    const parsed = parse(sample("batch-two-entries"));
    expect(parsed.messages.map((m) => [m.userId, m.event])).toEqual([
      ["16505551234", { kind: "text", text: "Hi" }],
      ["16505551234", { kind: "choice", id: "g:book" }],
      ["4520123456", { kind: "text", text: "menu" }],
    ]);
    expect(parsed.messages[2]?.profile).toEqual({ name: "Ada Lovelace", verifiedPhone: "+4520123456" });
    expect(parsed.statuses.map((s) => s.eventId)).toEqual(["wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI0QURDRjQ4NjQ4M0FGQUJFQTUA:delivered"]);
    expect(new Set(parsed.messages.map((m) => m.eventId)).size).toBe(3);
  });

  it("skips a malformed message of a batch and keeps the others", () => {
    const s = sample("batch-two-entries");
    s.entry[0].changes[0].value.messages[0] = { type: "text", text: { body: "no sender" } };
    s.entry[0].changes[0].value.messages.push({ from: "16505551234", id: "wamid.g", type: "text", group_id: "g1", text: { body: "in a group" } });
    const parsed = parse(s);
    expect(parsed.messages.map((m) => m.event)).toEqual([{ kind: "choice", id: "g:book" }, { kind: "text", text: "menu" }]);
    expect(parsed.skipped).toEqual(["entry 0 change 0 message 0: not conversation input", "entry 0 change 0 message 2: not conversation input"]);
  });

  it("skips other fields, other phone numbers, other objects, and system notices", () => {
    const other = sample("text");
    other.entry[0].changes[0].value.metadata.phone_number_id = "999999999999";
    expect(parse(other).messages).toEqual([]);
    const field = sample("text");
    field.entry[0].changes[0].field = "message_template_status_update";
    expect(parse(field).messages).toEqual([]);
    const page = sample("text");
    page.object = "page";
    expect(parse(page).messages).toEqual([]);
    const system = sample("text");
    Object.assign(firstMessage(system), { type: "system", system: { body: "Sheena changed her phone number" } });
    expect(parse(system).messages).toEqual([]);
  });

  it("starts over on a welcome request, and has no verified phone for a sender id that is not a number", () => {
    const welcome = sample("text");
    Object.assign(firstMessage(welcome), { type: "request_welcome" });
    expect(parse(welcome).messages[0]?.event).toEqual({ kind: "start" });
    const odd = sample("text");
    firstMessage(odd).from = "US.13491208655302741918";
    expect(parse(odd).messages[0]?.profile).toEqual({ name: "Sheena Nelson" });
  });

  it("parsePayload (Channel.parse) never throws on garbage", () => {
    expect(parsePayload(null)).toEqual([]);
    expect(parsePayload({ object: "whatsapp_business_account" })).toEqual([]);
    expect(parsePayload({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value: 42 }] }] })).toEqual([]);
    expect(parsePayload(sample("text"))).toHaveLength(1);
  });
});

describe("parse: statuses (samples from the docs)", () => {
  it.each([
    ["status-sent", "sent", 1750263773],
    ["status-delivered", "delivered", 1750263774],
    ["status-read", "read", 1750263780],
  ] as const)("reads %s", (name, status, seconds) => {
    expect(parse(sample(name))).toEqual({
      messages: [],
      statuses: [
        {
          providerMessageId: "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI0QURDRjQ4NjQ4M0FGQUJFQTUA",
          status,
          at: new Date(seconds * 1000),
          recipientId: "16505551234",
          eventId: `wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI0QURDRjQ4NjQ4M0FGQUJFQTUA:${status}`,
        },
      ],
      skipped: [],
    });
  });

  it("reads a failure outside the 24-hour window with its code and title", () => {
    expect(parse(sample("status-failed-131047")).statuses).toEqual([
      {
        providerMessageId: "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBIyRkYzNDU2QkE2MzFCNDc0RjcA",
        status: "failed",
        at: new Date(1750350501 * 1000),
        recipientId: "16505551234",
        error: { code: "131047", message: "Re-engagement message" },
        eventId: "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBIyRkYzNDU2QkE2MzFCNDc0RjcA:failed",
      },
    ]);
  });

  it("ignores statuses it does not track and malformed ones", () => {
    expect(parseStatus({ id: "wamid.x", status: "deleted", timestamp: "1", recipient_id: "1" })).toBeNull();
    expect(parseStatus({ id: "wamid.x", status: "sent", timestamp: "soon", recipient_id: "1" })).toBeNull();
    expect(parseStatus({ status: "sent" })).toBeNull();
    expect(parseStatus({ id: "wamid.x", status: "failed", timestamp: 5, recipient_id: "1", errors: [{ code: 131026, message: "Message undeliverable" }] })?.error).toEqual({
      code: "131026",
      message: "Message undeliverable",
    });
  });

  it("reads our outbox id from biz_opaque_callback_data, only when it is a UUID", () => {
    const base = { id: "wamid.x", status: "failed", timestamp: "1750350501", recipient_id: "16505551234" };
    const id = "0b6c3f5e-1d2a-4c3b-9e8f-7a6b5c4d3e2f";
    expect(parseStatus({ ...base, biz_opaque_callback_data: id.toUpperCase() })?.outboxId).toBe(id);
    expect(parseStatus({ ...base, biz_opaque_callback_data: "campaign-7" })).not.toHaveProperty("outboxId");
    expect(parseStatus(base)).not.toHaveProperty("outboxId");
  });
});
