import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseUpdate } from "./parse.js";

const sample = (name: string): unknown => JSON.parse(readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8"));

describe("parseUpdate (real payload samples)", () => {
  it("reads /start with the sender's name and language", () => {
    expect(parseUpdate(sample("message-start"))).toEqual([
      {
        chatId: "5012345678",
        userId: "5012345678",
        eventId: "843129301",
        profile: { name: "Ada Lovelace", languageCode: "en" },
        event: { kind: "start" },
      },
    ]);
  });

  it("reads typed text", () => {
    expect(parseUpdate(sample("message-text"))[0]?.event).toEqual({ kind: "text", text: "+45 20 12 34 56" });
  });

  it("counts the sender's own contact as verified and adds the missing +", () => {
    expect(parseUpdate(sample("message-contact-own"))[0]?.event).toEqual({
      kind: "contact",
      phone: "+4520123456",
      name: "Ada Lovelace",
      verified: true,
    });
  });

  it("vouches for the phone in the profile only for the sender's own contact", () => {
    expect(parseUpdate(sample("message-contact-own"))[0]?.profile.verifiedPhone).toBe("+4520123456");
    expect(parseUpdate(sample("message-contact-other"))[0]?.profile.verifiedPhone).toBeUndefined();
    expect(parseUpdate(sample("message-text"))[0]?.profile.verifiedPhone).toBeUndefined();
  });

  it("does not count someone else's contact as verified", () => {
    expect(parseUpdate(sample("message-contact-other"))[0]?.event).toEqual({
      kind: "contact",
      phone: "+4520999999",
      name: "Charles Babbage",
      verified: false,
    });
  });

  it("reads a button press with what acknowledge needs", () => {
    expect(parseUpdate(sample("callback-query"))).toEqual([
      {
        chatId: "5012345678",
        userId: "5012345678",
        eventId: "843129305",
        profile: { name: "Ada", languageCode: "en" },
        event: { kind: "choice", id: "g:book" },
        ack: { token: "2152960127835429410", messageId: "5" },
      },
    ]);
  });

  it("marks a sticker unsupported, and ignores group chats, edits, bots and garbage", () => {
    expect(parseUpdate(sample("message-sticker"))[0]?.event).toEqual({ kind: "unsupported" });
    expect(parseUpdate(sample("message-group"))).toEqual([]);
    expect(parseUpdate(sample("edited-message"))).toEqual([]);
    const fromBot = sample("message-text") as { message: { from: { is_bot: boolean } } };
    fromBot.message.from.is_bot = true;
    expect(parseUpdate(fromBot)).toEqual([]);
    expect(parseUpdate({ update_id: "x" })).toEqual([]);
    expect(parseUpdate(null)).toEqual([]);
  });

  it("treats /start@bot and /start with a payload as start", () => {
    const start = sample("message-start") as { message: { text: string } };
    start.message.text = "/start@chairside_demo_bot";
    expect(parseUpdate(start)[0]?.event).toEqual({ kind: "start" });
    start.message.text = "/start promo-42";
    expect(parseUpdate(start)[0]?.event).toEqual({ kind: "start" });
    start.message.text = "/starting";
    expect(parseUpdate(start)[0]?.event).toEqual({ kind: "text", text: "/starting" });
  });
});
