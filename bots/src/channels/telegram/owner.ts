/**
 * The owner's Telegram, in grammY: the salon's bot is the one clients use, so owner updates are
 * picked out before the client conversation sees them. An update is the owner module's when it
 * is an owner command (/pair, /agenda, /unpair, /start pair_CODE), an owner button ("own:..."),
 * or comes from a chat linked to an active owner or manager; everything else goes on to the
 * inbox unchanged. Recording a delivery is a short @grammyjs/conversations 2.x flow (quantity,
 * confirm) whose replay log is kept in PostgreSQL through the desk (ConversationState rows of
 * channel "telegram-owner"), so a restart mid-flow loses nothing.
 *
 * Long polling: `middleware()` goes before the inbox middleware of the polling bot. Webhook mode:
 * `handle(update)` runs the same middleware on a bot of its own and says whether it took the
 * update. Updates are handled one at a time per chat; each handled update id is recorded in the
 * database (InboundEvent rows of channel "telegram-owner"), so an update delivered again (a webhook
 * retry, a restarted poller, another instance) is not handled twice.
 */
import { type Conversation, type ConversationFlavor, conversations, createConversation } from "@grammyjs/conversations";
import { Bot, Composer, type Context } from "grammy";
import type { Update } from "grammy/types";
import { KeyedQueue } from "../../conversation/keyed-queue.js";
import type { Logger, Prompt } from "../../conversation/types.js";
import { deliveryProductOf, isOwnerChoice, OWNER_CHOICES, parseOwnerCommand, parseQuantity } from "../../owner/commands.js";
import type { DeliveryProduct, OwnerChatRef, OwnerDesk } from "../../owner/desk.js";
import type { TelegramCredentials } from "./credentials.js";
import { renderPrompt } from "./render.js";

type OwnerContext = ConversationFlavor<Context>;

/** How long the delivery flow waits for the next answer before it is dropped, ms. */
const FLOW_TIMEOUT_MS = 30 * 60_000;
/** Update ids remembered against webhook retries. */
const SEEN_LIMIT = 2000;

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

function chatOf(ctx: Context): OwnerChatRef | null {
  const chat = ctx.chat;
  const from = ctx.from;
  if (!chat || chat.type !== "private" || !from || from.is_bot) return null;
  const name = [from.first_name, from.last_name].filter(Boolean).join(" ").trim();
  return { chatId: String(chat.id), ...(from.language_code ? { languageCode: from.language_code } : {}), ...(name ? { name } : {}) };
}

async function reply(ctx: Context, prompt: Prompt): Promise<void> {
  const { text, reply_markup } = renderPrompt(prompt);
  await ctx.reply(text, reply_markup ? { reply_markup } : {});
}

/** Takes the buttons off the message whose button was pressed (it cannot be pressed twice by accident). */
async function clearButtons(ctx: Context): Promise<void> {
  if (!ctx.callbackQuery?.message) return;
  await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
}

/** True when the update should leave a running flow and be handled from the top (another command or owner button). */
function leavesFlow(ctx: Context): boolean {
  const text = ctx.message?.text;
  if (text !== undefined) return parseOwnerCommand(text) !== null || /^\/start(?:@\w+)?(?:\s|$)/i.test(text.trim());
  const data = ctx.callbackQuery?.data;
  return data !== undefined && data !== OWNER_CHOICES.confirm && data !== OWNER_CHOICES.cancel;
}

/** The delivery flow: the product's quantity (re-asked until it is a positive whole number), then confirm. */
function deliveryFlow(desk: OwnerDesk) {
  return async function delivery(conversation: Conversation<OwnerContext, Context>, ctx: Context, productId: string): Promise<void> {
    const chat = chatOf(ctx);
    if (!chat) return;
    const start = await conversation.external(() => desk.startDelivery(chat, productId));
    await reply(ctx, start.prompt);
    if (!start.product) return;
    const product: DeliveryProduct = start.product;

    let quantity: number | null = null;
    while (quantity === null) {
      const next = await conversation.wait({ maxMilliseconds: FLOW_TIMEOUT_MS });
      if (leavesFlow(next)) await conversation.halt({ next: true });
      if (next.callbackQuery) {
        await next.answerCallbackQuery().catch(() => undefined);
        if (next.callbackQuery.data === OWNER_CHOICES.cancel) {
          await clearButtons(next);
          await reply(next, await conversation.external(() => desk.deliveryCancelled(chat)));
          return;
        }
        continue;
      }
      const text = next.message?.text;
      quantity = text === undefined ? null : parseQuantity(text);
      if (quantity === null) await reply(next, await conversation.external(() => desk.badQuantity(chat)));
    }

    const amount = quantity;
    await reply(ctx, await conversation.external(() => desk.confirmDelivery(chat, product, amount)));
    for (;;) {
      const next = await conversation.wait({ maxMilliseconds: FLOW_TIMEOUT_MS });
      if (leavesFlow(next)) await conversation.halt({ next: true });
      const data = next.callbackQuery?.data;
      if (data === OWNER_CHOICES.confirm || data === OWNER_CHOICES.cancel) {
        await next.answerCallbackQuery().catch(() => undefined);
        await clearButtons(next);
        const requestKey = `telegram:${chat.chatId}:${next.update.update_id}`;
        const done =
          data === OWNER_CHOICES.confirm
            ? await conversation.external(() => desk.recordDelivery(chat, product, amount, requestKey))
            : await conversation.external(() => desk.deliveryCancelled(chat));
        await reply(next, done);
        return;
      }
      if (next.callbackQuery) await next.answerCallbackQuery().catch(() => undefined);
      await reply(next, await conversation.external(() => desk.confirmDelivery(chat, product, amount)));
    }
  };
}

/** Owner commands and buttons outside a flow. */
function commands(desk: OwnerDesk, log: Logger): Composer<OwnerContext> {
  const c = new Composer<OwnerContext>();
  c.on("message:text", async (ctx) => {
    const chat = chatOf(ctx)!;
    const command = parseOwnerCommand(ctx.message.text);
    if (command?.kind === "pair") {
      const result = await desk.pair(chat, command.code);
      if (result.linked) {
        // The linked chat's own command menu (before the reply, so it is there when the owner reads it).
        const list = await desk.commands(chat);
        await ctx.api.setMyCommands(list, { scope: { type: "chat", chat_id: ctx.chat.id } }).catch((e: unknown) => log.debug("Could not set the owner's commands", { error: describe(e) }));
      }
      await reply(ctx, result.prompt);
      return;
    }
    if (command?.kind === "unpair") {
      await reply(ctx, await desk.unpair(chat));
      await ctx.api.deleteMyCommands({ scope: { type: "chat", chat_id: ctx.chat.id } }).catch(() => undefined);
      return;
    }
    if (command?.kind === "agenda") {
      await reply(ctx, await desk.agenda(chat, desk.now()));
      return;
    }
    const owner = await desk.ownerOf(chat.chatId);
    await reply(ctx, owner ? await desk.menu(chat, owner) : await desk.ownerOnly(chat));
  });
  c.on("callback_query:data", async (ctx) => {
    await ctx.answerCallbackQuery().catch(() => undefined);
    const chat = chatOf(ctx)!;
    const data = ctx.callbackQuery.data;
    if (data === OWNER_CHOICES.agenda) {
      await reply(ctx, await desk.agenda(chat, desk.now()));
      return;
    }
    const productId = deliveryProductOf(data);
    if (productId) {
      if (!(await desk.ownerOf(chat.chatId))) await reply(ctx, await desk.ownerOnly(chat));
      else await ctx.conversation.enter("delivery", productId);
      return;
    }
    // A confirm or cancel button of a flow that is over, or another owner button: the menu.
    const owner = await desk.ownerOf(chat.chatId);
    if (owner && !isOwnerChoice(data)) await reply(ctx, await desk.menu(chat, owner));
    else if (!owner) await reply(ctx, await desk.ownerOnly(chat));
  });
  c.on("message", async (ctx) => {
    const chat = chatOf(ctx)!;
    const owner = await desk.ownerOf(chat.chatId);
    await reply(ctx, owner ? await desk.menu(chat, owner) : await desk.ownerOnly(chat));
  });
  return c;
}

/**
 * True when the update is the owner module's (see the file comment). When the link cannot be
 * looked up (the database is away) the update goes on to the inbox, which retries storing it.
 */
async function claims(ctx: Context, desk: OwnerDesk, log: Logger): Promise<boolean> {
  const chat = chatOf(ctx);
  if (!chat) return false;
  const text = ctx.message?.text;
  if (text !== undefined && parseOwnerCommand(text) !== null) return true;
  if (isOwnerChoice(ctx.callbackQuery?.data)) return true;
  try {
    return (await desk.ownerOf(chat.chatId)) !== null;
  } catch (e) {
    log.warn("Could not look up whether a chat is an owner's; handing the update to the inbox", { error: describe(e) });
    return false;
  }
}

/** The owner's handling of one salon's bot. */
export class TelegramOwner {
  private readonly queue = new KeyedQueue();
  private readonly seen = new Set<number>();
  private webhookBot: Promise<{ bot: Bot<OwnerContext>; passed: Set<number> }> | null = null;

  constructor(
    private readonly desk: OwnerDesk,
    private readonly log: Logger,
  ) {}

  /** The middleware: owner updates are handled here; any other update goes to `next` (the inbox). */
  middleware(): Composer<OwnerContext> {
    const desk = this.desk;
    const outer = new Composer<OwnerContext>();
    const owned = outer.filter((ctx) => claims(ctx, desk, this.log));
    owned.use(async (ctx, next) => {
      const updateId = String(ctx.update.update_id);
      try {
        // A redelivered update (webhook retry, a poller restarted before Telegram saw the offset,
        // another instance) is handled once: the database remembers the handled update ids.
        if (await desk.wasHandled(updateId)) {
          this.log.debug("An owner update came again; it was handled before", { tenantId: desk.tenantId, updateId });
          return;
        }
        await next();
      } catch (e) {
        this.log.error("An owner update failed", { tenantId: desk.tenantId, updateId: ctx.update.update_id, error: describe(e) });
        const chat = chatOf(ctx);
        const { messages } = await desk.language(chat ?? { chatId: "" });
        await ctx.reply(messages.error).catch(() => undefined);
      }
      // Handled, or answered with the error message (the owner may try again; Telegram does not
      // redeliver an update the bot answered): a redelivery must not run it again. When
      // this record cannot be written, a redelivery is handled once more (logged, not replied).
      await desk.markHandled(updateId, chatOf(ctx)!, String(ctx.from!.id)).catch((e: unknown) =>
        this.log.warn("Could not record an owner update as handled", { tenantId: desk.tenantId, updateId, error: describe(e) }),
      );
    });
    owned.use(
      conversations<OwnerContext, Context>({
        storage: {
          type: "key",
          getStorageKey: (ctx) => (ctx.chatId === undefined ? undefined : String(ctx.chatId)),
          adapter: {
            read: async (key) => (await desk.loadFlow(key)) as never,
            write: (key, state) => desk.saveFlow(key, state),
            delete: (key) => desk.clearFlow(key),
          },
        },
      }),
    );
    owned.use(createConversation<OwnerContext, Context>(deliveryFlow(desk), "delivery"));
    owned.use(commands(desk, this.log));
    return outer;
  }

  /**
   * Webhook mode: handles `update` if it is the owner module's and resolves true, else false
   * (deliver it to the inbox). Throws when handling failed for a reason worth a retry (the
   * database); the webhook then answers 500.
   */
  async handle(update: Update, credentials: TelegramCredentials, fetchImpl?: typeof fetch): Promise<boolean> {
    const chatId = update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id;
    if (chatId === undefined) return false;
    return this.queue.run(String(chatId), async () => {
      if (this.seen.has(update.update_id)) return true;
      const { bot, passed } = await (this.webhookBot ??= this.createBot(credentials, fetchImpl));
      await bot.handleUpdate(update);
      if (passed.delete(update.update_id)) return false;
      this.seen.add(update.update_id);
      if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value!);
      return true;
    });
  }

  private async createBot(credentials: TelegramCredentials, fetchImpl?: typeof fetch): Promise<{ bot: Bot<OwnerContext>; passed: Set<number> }> {
    const bot = new Bot<OwnerContext>(credentials.token, { client: { apiRoot: credentials.apiRoot, ...(fetchImpl ? { fetch: fetchImpl as never } : {}) } });
    try {
      await bot.init();
    } catch (e) {
      this.webhookBot = null;
      throw e;
    }
    const passed = new Set<number>();
    bot.use(this.middleware());
    bot.use((ctx) => {
      passed.add(ctx.update.update_id);
    });
    return { bot, passed };
  }
}
