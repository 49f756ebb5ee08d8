/**
 * What the outbox may send on web chat: the booking page's widget reaches a visitor only while
 * their page is open, so a reminder there is refused (permanent) and the outbox falls back; the
 * conversation's own replies still go into the transcript.
 */
import { DeliveryError } from "@chairside/core";
import { describe, expect, it } from "vitest";
import { MemoryWebchatConversations } from "../../testing/memory-webchat.js";
import type { ChannelNotification } from "../channel.js";
import { WebchatChannel } from "./webchat.channel.js";

const TENANT = "00000000-0000-4000-8000-000000000001";
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function notification(): ChannelNotification {
  return {
    trackingId: "7d1f0c52-8a0e-4f43-9d59-0a4b8a1f2c11",
    kind: "reminder_24h",
    prompt: { text: "See you tomorrow at 10:00." },
    template: () => null,
    lastInboundAt: new Date("2027-03-01T09:00:00Z"),
    now: new Date("2027-03-01T09:05:00Z"),
  };
}

describe("WebchatChannel.sendNotification", () => {
  it("refuses a reminder to a widget conversation as permanent, and stores nothing for the widget", async () => {
    const conversations = new MemoryWebchatConversations();
    const { conversationId } = await conversations.openWidgetConversation(TENANT);
    const channel = new WebchatChannel({ tenantId: TENANT, conversations, azure: null, log: silent });

    const refusal = await channel.sendNotification(conversationId, notification()).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DeliveryError);
    expect(refusal).toMatchObject({ permanent: true, message: expect.stringMatching(/^Web chat: .*only while their page is open/) });
    expect(conversations.appended).toHaveLength(0);

    // The conversation's own replies still reach the open page.
    await channel.send(conversationId, [{ text: "Hello" }]);
    expect(conversations.appended.map((a) => a.activity.text)).toEqual(["Hello"]);
  });

  it("refuses a conversation the salon does not have", async () => {
    const channel = new WebchatChannel({ tenantId: TENANT, conversations: new MemoryWebchatConversations(), azure: null, log: silent });
    await expect(channel.sendNotification("wc_unknown", notification())).rejects.toMatchObject({ permanent: true });
  });
});
