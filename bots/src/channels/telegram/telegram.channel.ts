import type { Api } from "grammy";
import type { Update } from "grammy/types";
import type { Logger, Prompt } from "../../conversation/types.js";
import type { Channel, InboundMessage } from "../channel.js";
import { parseUpdate } from "./parse.js";
import { MAX_BUTTONS, MAX_LABEL, renderPrompt } from "./render.js";

/**
 * Telegram as a `Channel`: parses Updates, renders prompts as messages with inline keyboards
 * (or a request_contact reply keyboard) and acknowledges button presses at once.
 */
export class TelegramChannel implements Channel<Update | unknown> {
  readonly name = "telegram";
  readonly limits = { maxChoices: MAX_BUTTONS, maxLabelLength: MAX_LABEL, sharesContact: true };

  constructor(
    private readonly api: Api,
    private readonly log: Logger,
  ) {}

  parse(update: Update | unknown): InboundMessage[] {
    return parseUpdate(update);
  }

  /** Sends each prompt as one message, in order; resolves with their message ids. Throws the GrammyError of a refused call. */
  async send(chatId: string, prompts: readonly Prompt[]): Promise<string[]> {
    const ids: string[] = [];
    for (const prompt of prompts) {
      const { text, reply_markup } = renderPrompt(prompt);
      const sent = await this.api.sendMessage(chatId, text, reply_markup ? { reply_markup } : {});
      ids.push(String(sent.message_id));
    }
    return ids;
  }

  /**
   * Answers the callback query (the button stops spinning) and takes the buttons off the pressed
   * message so it cannot be pressed again by accident. Failures are logged, never thrown: a
   * message older than 48 hours cannot be edited, and that is fine.
   */
  async acknowledge(message: InboundMessage): Promise<void> {
    if (!message.ack) return;
    try {
      await this.api.answerCallbackQuery(message.ack.token);
    } catch (e) {
      this.log.warn("answerCallbackQuery failed", { chatId: message.chatId, error: e instanceof Error ? e.message : String(e) });
    }
    if (message.ack.messageId) {
      try {
        await this.api.editMessageReplyMarkup(message.chatId, Number(message.ack.messageId), { reply_markup: { inline_keyboard: [] } });
      } catch (e) {
        this.log.debug("Could not take the buttons off a pressed message", { chatId: message.chatId, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
}
