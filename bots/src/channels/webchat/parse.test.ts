import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chatIdOf, parseActivity } from "./parse.js";

const sample = (name: string) => JSON.parse(readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8")) as Record<string, unknown>;
const WIDGET = "wc_Q2hhaXJzaWRlU2FtcGxlQ29udmVyczAx";

describe("parseActivity", () => {
  it("binds a widget conversation's user to the conversation, whatever from.id says", () => {
    const forged = { ...sample("message-text"), from: { id: "someone-elses-user-id", name: "Mallory" } };
    const [message] = parseActivity(forged)!.messages;
    expect(message).toMatchObject({ chatId: WIDGET, userId: WIDGET, eventId: `${WIDGET}:bf3cc9a2f5de`, profile: { name: "Mallory", languageCode: "en-US" } });
    expect(message!.event).toEqual({ kind: "text", text: "Haircut on Saturday" });
  });

  it("reads a suggested action from value.choiceId, and a choice id sent as text (imBack fallback)", () => {
    expect(parseActivity(sample("message-suggested-action"))!.messages[0]!.event).toEqual({ kind: "choice", id: "g:book" });
    const imBack = { ...sample("message-text"), text: "s:3:t:0001" };
    expect(parseActivity(imBack)!.messages[0]!.event).toEqual({ kind: "choice", id: "s:3:t:0001" });
    const notAChoice = { ...sample("message-text"), text: "x:book" };
    expect(parseActivity(notAChoice)!.messages[0]!.event.kind).toBe("text");
  });

  it("gives Azure conversations a hashed chat id and a channel-scoped user, except on browser channels", () => {
    const teams = { ...sample("message-text"), channelId: "msteams", serviceUrl: "https://smba.trafficmanager.net/emea/", conversation: { id: `a:${"x".repeat(300)}` } };
    const parsed = parseActivity(teams)!;
    expect(parsed.origin).toBe("azure");
    expect(parsed.chatId).toMatch(/^az_[A-Za-z0-9_-]{43}$/);
    expect(parsed.messages[0]!.userId).toBe("msteams:1234abcd");
    const otherService = chatIdOf({ ...teams, serviceUrl: "https://smba.trafficmanager.net/amer/" });
    expect(otherService).not.toBe(parsed.chatId);
    const azureWebChat = { ...teams, channelId: "webchat" };
    const web = parseActivity(azureWebChat)!;
    expect(web.messages[0]!.userId).toBe(web.chatId);
  });

  it("ignores typing and a bot-only conversationUpdate; anything unknown is unsupported", () => {
    expect(parseActivity(sample("typing"))!.messages).toEqual([]);
    expect(parseActivity(sample("conversation-update-bot-added"))!.messages).toEqual([]);
    expect(parseActivity(sample("conversation-update"))!.messages[0]!.event).toEqual({ kind: "start" });
    for (const name of ["message-reaction", "event", "message-image"]) expect(parseActivity(sample(name))!.messages[0]!.event).toEqual({ kind: "unsupported" });
    expect(parseActivity({ ...sample("message-text"), type: "invoke" })!.messages[0]!.event.kind).toBe("unsupported");
  });

  it("refuses what is not an Activity we can key: no JSON, no id, no conversation, wrong types", () => {
    expect(parseActivity("{nope")).toBeNull();
    expect(parseActivity(Buffer.from("[]"))).toBeNull();
    const { id: _id, ...noId } = sample("message-text");
    expect(parseActivity(noId)).toBeNull();
    const { conversation: _c, ...noConversation } = sample("message-text");
    expect(parseActivity(noConversation)).toBeNull();
    expect(parseActivity({ ...sample("message-text"), text: 42 })).toBeNull();
    expect(parseActivity({ ...sample("message-text"), id: "x".repeat(129) })).toBeNull();
  });
});
