/**
 * Web chat as a `Channel`: parses Activities into conversation input and sends prompts as message
 * Activities with suggested actions (render.ts). Where a reply goes depends on the conversation:
 * - the booking page's widget: this server is its connector, so the activities are appended to
 *   the conversation's transcript in PostgreSQL, which the widget polls by watermark (any server
 *   instance can answer the poll; a restart loses nothing);
 * - a conversation from Azure Bot Service (Teams, Azure's Web Chat, SMS): POSTed to its
 *   `serviceUrl` through the connector with the salon's app token (azure.ts).
 */
import { DeliveryError, widgetActivityId, type WebchatStore } from "@chairside/core";
import type { Logger, Prompt } from "../../conversation/types.js";
import type { Channel, ChannelNotification, InboundMessage } from "../channel.js";
import type { AzureConnector } from "./azure.js";
import { parseMessages } from "./parse.js";
import { MAX_LABEL, MAX_SUGGESTED_ACTIONS, renderActivities } from "./render.js";

/** What the channel needs of the conversation store (WebchatStore in production, an in-memory one in the contract test). */
export type WebchatConversations = Pick<WebchatStore, "openWidgetConversation" | "verifyWidgetToken" | "saveReference" | "get" | "append" | "activitiesAfter">;

/** The account the bot's activities come from in widget conversations. */
export const BOT_ACCOUNT = { id: "chairside", name: "Chairside", role: "bot" } as const;

/** Sends prompts into one salon's web chat conversations. */
export class WebchatChannel implements Channel {
  readonly name = "webchat";
  readonly limits = { maxChoices: MAX_SUGGESTED_ACTIONS, maxLabelLength: MAX_LABEL, sharesContact: false };

  constructor(
    private readonly deps: {
      tenantId: string;
      conversations: WebchatConversations;
      /** Null when the salon has no Azure app: Azure conversations cannot be answered (and cannot arrive). */
      azure: AzureConnector | null;
      log: Logger;
    },
  ) {}

  parse(payload: unknown): InboundMessage[] {
    return parseMessages(payload);
  }

  /**
   * Sends the prompts into conversation `chatId` and resolves with the activity ids. Throws a
   * `not_found` DomainError (status 404) for a conversation this salon does not have, and the
   * connector's error for an Azure conversation whose connector refuses.
   */
  async send(chatId: string, prompts: readonly Prompt[]): Promise<string[]> {
    const { tenantId, conversations, azure, log } = this.deps;
    const conversation = await conversations.get(tenantId, chatId);
    if (!conversation) throw Object.assign(new Error(`No web chat conversation ${chatId} in this salon`), { status: 404 });
    if (conversation.kind === "azure") {
      if (!azure || !conversation.reference) throw Object.assign(new Error("This salon has no Azure Bot Service app to answer an Azure conversation"), { status: 403 });
      const channelId = typeof conversation.reference.channelId === "string" ? conversation.reference.channelId : "webchat";
      return azure.send(conversation.reference, renderActivities(prompts, channelId));
    }
    const now = new Date().toISOString();
    const activities = renderActivities(prompts, "webchat").map((a) => ({ ...a, from: BOT_ACCOUNT, conversation: { id: chatId }, timestamp: now }));
    const seqs = await conversations.append(tenantId, chatId, activities);
    log.debug("Web chat reply stored for the widget", { chatId, activities: seqs.length });
    return seqs.map((seq) => widgetActivityId(chatId, seq));
  }

  /**
   * The outbox's capability (messages Chairside starts itself: reminders, thank-yous). An Azure
   * conversation (Teams, SMS, ...) takes them through the connector, as a proactive message. The
   * booking page's widget shows only what arrives while the visitor's page is open, so a reminder
   * there would reach nobody: it is refused as a permanent DeliveryError, and the outbox moves on
   * to the client's other messenger or shows the message failed with this reason.
   */
  async sendNotification(chatId: string, notification: ChannelNotification): Promise<string> {
    const conversation = await this.deps.conversations.get(this.deps.tenantId, chatId);
    if (conversation?.kind !== "azure") {
      throw new DeliveryError("Web chat: the booking page's chat reaches a visitor only while their page is open, so it cannot deliver later messages", true);
    }
    const ids = await this.send(chatId, [notification.prompt]);
    return ids[0] ?? `webchat:${notification.trackingId}`;
  }
}
