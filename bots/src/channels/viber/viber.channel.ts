/**
 * Viber as a `Channel`: parses callbacks into conversation input and sends prompts as text
 * messages with keyboards through `send_message`
 * (https://developers.viber.com/docs/api/rest-bot-api/#send-message). Messages reach only
 * subscribed users (status 6 receiverNotSubscribed otherwise); the one exception, the welcome
 * message, is the HTTP answer to `conversation_started` (see webhook.ts).
 */
import type { Logger, Prompt } from "../../conversation/types.js";
import { messagesFor, pickLocale } from "../../i18n/index.js";
import type { Channel, InboundMessage } from "../channel.js";
import { callViber } from "./api.js";
import type { ViberCredentials } from "./credentials.js";
import { parseMessages, type PageRequest } from "./parse.js";
import { MAX_CHOICES, MAX_LABEL, MIN_API_VERSION, renderPage, renderPrompts, type ChannelLabels, type ViberTextMessage } from "./render.js";

/** The channel's own labels in `language` (BCP 47): the client's, else the salon's, else English. */
export function labelsFor(language: string | undefined, salonLocale: string | undefined): ChannelLabels {
  return { more: messagesFor(pickLocale(language, salonLocale)).moreChoices };
}

/** A complete message (`send_message` body without `receiver`; also the welcome message's shape). */
export function withSender(message: ViberTextMessage, senderName: string): ViberTextMessage & { sender: { name: string }; min_api_version: number } {
  return { sender: { name: senderName }, min_api_version: MIN_API_VERSION, ...message };
}

/** Sends prompts to Viber users with one salon's bot. */
export class ViberChannel implements Channel {
  readonly name = "viber";
  readonly limits = { maxChoices: MAX_CHOICES, maxLabelLength: MAX_LABEL, sharesContact: true };

  constructor(
    private readonly credentials: ViberCredentials,
    private readonly log: Logger,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  parse(payload: unknown): InboundMessage[] {
    return parseMessages(payload);
  }

  /**
   * Sends the prompts as one message each, in order; the last one carries the keyboard of the
   * whole batch (Viber shows only the last keyboard). Resolves with Viber's message tokens (exact,
   * as strings), one per message sent. Throws `ViberApiError` when Viber refuses (e.g. status 6
   * receiverNotSubscribed) and stops there.
   */
  async send(chatId: string, prompts: readonly Prompt[]): Promise<string[]> {
    const labels = labelsFor(undefined, this.credentials.locale);
    const tokens: string[] = [];
    for (const message of renderPrompts(prompts, labels)) tokens.push(await this.sendMessage(chatId, message));
    return tokens;
  }

  /** Answers a "More…" press with the requested page of the keyboard. */
  async sendPage(request: PageRequest): Promise<string> {
    return this.sendMessage(request.userId, renderPage(request.pages, request.page));
  }

  /** One `send_message` call; returns the message token. */
  private async sendMessage(receiver: string, message: ViberTextMessage): Promise<string> {
    const answer = await callViber(this.credentials, "send_message", { receiver, ...withSender(message, this.credentials.senderName) }, this.fetchFn);
    const token = typeof answer.message_token === "string" ? answer.message_token : String(answer.message_token ?? "");
    this.log.debug("Viber message sent", { receiver, messageToken: token, buttons: message.keyboard?.Buttons.length ?? 0 });
    return token;
  }
}
