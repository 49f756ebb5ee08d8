/**
 * A fake Telegram Bot API server on 127.0.0.1 for tests, speaking the wire format of
 * https://core.telegram.org/bots/api#making-requests: POST or GET /bot<token>/<method> with JSON,
 * form or query parameters; answers `{ ok: true, result }` or `{ ok: false, error_code,
 * description }` with the same HTTP status as error_code.
 *
 * Bot side: getMe, getUpdates (offset confirms earlier updates; timeout is a real long poll;
 * limit), setWebhook / deleteWebhook / getWebhookInfo (webhook mode POSTs each update with the
 * secret header), setMyCommands, sendMessage, editMessageText, editMessageReplyMarkup,
 * answerCallbackQuery, sendChatAction, deleteMessage. Unknown methods: 404.
 *
 * Client side (the test plays the user): sendText, sendContact, sendSticker, pressButton (a
 * callback_query for a button of the newest inline keyboard that has it), pressReplyButton (a
 * reply keyboard button: shares the contact for request_contact), waitForMessage.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A Telegram user as the fake shows it. */
export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  language_code?: string;
}

/** An inline keyboard button as the bot sent it. */
export interface FakeButton {
  text: string;
  callback_data?: string;
  request_contact?: boolean;
}

/** A message in a chat, from the bot or from the user. */
export interface FakeMessage {
  message_id: number;
  date: number;
  chat: { id: number; type: "private"; first_name: string };
  from: FakeUser;
  text?: string;
  contact?: { phone_number: string; first_name: string; last_name?: string; user_id?: number };
  sticker?: { file_id: string; emoji: string };
  reply_markup?: {
    inline_keyboard?: FakeButton[][];
    keyboard?: FakeButton[][];
    remove_keyboard?: boolean;
    one_time_keyboard?: boolean;
  };
  edit_date?: number;
}

/** One update the fake delivers. */
export type FakeUpdate = { update_id: number } & (
  | { message: FakeMessage }
  | { callback_query: { id: string; from: FakeUser; message?: FakeMessage; chat_instance: string; data?: string } }
);

/** A recorded Bot API call. */
export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const now = () => Math.floor(Date.now() / 1000);
const clone = <T>(value: T): T => structuredClone(value);

interface PollWaiter {
  respond(updates: FakeUpdate[]): void;
  limit: number;
}

interface MessageWaiter {
  chatId: number;
  after: number;
  predicate: (m: FakeMessage) => boolean;
  resolve(m: FakeMessage): void;
}

/** A running fake Bot API. Create with `FakeTelegram.start()`, `close()` when done. */
export class FakeTelegram {
  /** Every call the bot made, in order. */
  readonly calls: FakeCall[] = [];
  /** Webhook deliveries: the update, the HTTP status (0 = network error). */
  readonly webhookDeliveries: { updateId: number; status: number }[] = [];
  /** The bot, as getMe returns it. */
  readonly bot: FakeUser & { username: string };
  /** While true, every method answers 502 Bad Gateway, as Telegram's front end does while the Bot API is down. */
  unavailable = false;

  private pending: FakeUpdate[] = [];
  private nextUpdateId: number;
  private nextCallbackId = 1;
  private readonly chats = new Map<number, { messages: FakeMessage[]; nextMessageId: number; user: FakeUser; mark: number }>();
  private readonly pollWaiters = new Set<PollWaiter>();
  private readonly messageWaiters = new Set<MessageWaiter>();
  private readonly answeredCallbacks = new Set<string>();
  private readonly issuedCallbacks = new Set<string>();
  private webhook: { url: string; secret?: string } | null = null;
  private delivering: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly server: http.Server,
    /** The bot token the fake accepts. */
    readonly token: string,
    /** Base URL to give the bot as apiRoot: http://127.0.0.1:<port>. */
    readonly apiRoot: string,
    /** Where webhook POSTs go instead of the registered URL's origin (a TLS-terminating proxy stand-in). */
    private readonly webhookOrigin: string | undefined,
    username: string,
    firstUpdateId: number,
  ) {
    this.nextUpdateId = firstUpdateId;
    this.bot = { id: Number(token.split(":")[0]) || 1, is_bot: true, first_name: "Chairside Test Bot", username };
  }

  /**
   * Starts a fake on a free port of 127.0.0.1. Update ids start at `firstUpdateId` (default: a
   * random large number, as Telegram's are, so fakes in one database never reuse an id).
   */
  static async start(options: { token: string; botUsername?: string; webhookOrigin?: string; firstUpdateId?: number }): Promise<FakeTelegram> {
    let fake: FakeTelegram | undefined;
    const server = http.createServer((req, res) => void fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeTelegram(
      server,
      options.token,
      `http://127.0.0.1:${port}`,
      options.webhookOrigin,
      options.botUsername ?? "chairside_test_bot",
      options.firstUpdateId ?? 100_000_000 + Math.floor(Math.random() * 800_000_000),
    );
    return fake;
  }

  /** Stops the server; pending long polls are answered with no updates. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.pollWaiters) w.respond([]);
    this.pollWaiters.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** The calls of one method, in order. */
  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The current webhook, if one is set. */
  get webhookInfo(): { url: string; secret?: string } | null {
    return this.webhook ? { ...this.webhook } : null;
  }

  /** Updates not yet confirmed by an offset (or a successful webhook delivery). */
  get pendingUpdates(): FakeUpdate[] {
    return clone(this.pending);
  }

  // ---- The simulated client ------------------------------------------------------------------

  /** Sets who the user of a private chat is (default: Ada, English, user id = chat id). */
  setUser(chatId: number, user: Partial<Omit<FakeUser, "id" | "is_bot">>): void {
    const chat = this.chat(chatId);
    chat.user = { ...chat.user, ...user };
  }

  /** The user types `text`. Returns the update (deliver it again with `redeliver`). */
  sendText(chatId: number, text: string): FakeUpdate {
    return this.enqueue({ update_id: this.nextUpdateId++, message: this.userMessage(chatId, { text }) });
  }

  /**
   * The user shares a contact: their own (user_id = their id, their name) unless `userId` or the
   * names say otherwise.
   */
  sendContact(chatId: number, contact: { phone: string; firstName?: string; lastName?: string; userId?: number | null }): FakeUpdate {
    const user = this.chat(chatId).user;
    const userId = contact.userId === undefined ? user.id : contact.userId;
    const message = this.userMessage(chatId, {
      contact: {
        phone_number: contact.phone,
        first_name: contact.firstName ?? user.first_name,
        ...((contact.lastName ?? (contact.firstName ? undefined : user.last_name)) ? { last_name: contact.lastName ?? user.last_name } : {}),
        ...(userId !== null ? { user_id: userId } : {}),
      },
    });
    return this.enqueue({ update_id: this.nextUpdateId++, message });
  }

  /** The user sends a sticker (something the bot cannot read). */
  sendSticker(chatId: number): FakeUpdate {
    return this.enqueue({ update_id: this.nextUpdateId++, message: this.userMessage(chatId, { sticker: { file_id: "sticker-1", emoji: "👍" } }) });
  }

  /**
   * The user presses an inline button: the newest bot message in the chat with a button whose
   * text equals `match` (or satisfies it) — or exactly `options.messageId` — gets a callback_query
   * with that message and the button's callback_data. `deliveries: 2` delivers the same update
   * twice in one batch (a provider retry). Throws when no such button is on screen.
   */
  pressButton(
    chatId: number,
    match: string | ((button: FakeButton, message: FakeMessage) => boolean),
    options: { messageId?: number; deliveries?: number } = {},
  ): { update: FakeUpdate; message: FakeMessage; button: FakeButton } {
    const test = typeof match === "string" ? (b: FakeButton) => b.text === match : match;
    const chat = this.chat(chatId);
    for (const message of [...chat.messages].reverse()) {
      if (message.from.id !== this.bot.id) continue;
      if (options.messageId !== undefined && message.message_id !== options.messageId) continue;
      const button = message.reply_markup?.inline_keyboard?.flat().find((b) => b.callback_data !== undefined && test(b, message));
      if (!button) continue;
      return { update: this.press(chatId, message, button.callback_data!, options.deliveries), message: clone(message), button };
    }
    throw new Error(`No inline button ${String(match)} in chat ${chatId}. Recent messages:\n${this.describe(chatId)}`);
  }

  /** The user presses a button of a message long gone, with the callback_data it had then. */
  pressOldButton(chatId: number, message: FakeMessage, callbackData: string): FakeUpdate {
    return this.press(chatId, message, callbackData);
  }

  /**
   * The user presses a reply keyboard button of the newest reply keyboard: a request_contact
   * button shares their own contact (`phone`), any other sends its text.
   */
  pressReplyButton(chatId: number, match: string | ((b: FakeButton) => boolean), phone?: string): FakeUpdate {
    const test = typeof match === "string" ? (b: FakeButton) => b.text === match : match;
    const keyboard = [...this.chat(chatId).messages].reverse().find((m) => m.from.id === this.bot.id && m.reply_markup?.keyboard);
    const button = keyboard?.reply_markup?.keyboard?.flat().find(test);
    if (!button) throw new Error(`No reply keyboard button ${String(match)} in chat ${chatId}. Recent messages:\n${this.describe(chatId)}`);
    if (button.request_contact) {
      if (!phone) throw new Error("pressReplyButton on a request_contact button needs the phone to share");
      return this.sendContact(chatId, { phone });
    }
    return this.sendText(chatId, button.text);
  }

  /** Delivers an update again with the same update_id (as after a crash before the offset moved on). */
  redeliver(update: FakeUpdate): void {
    this.enqueue(clone(update));
  }

  /**
   * Resolves with the first bot message in the chat (sent, or edited) after the user's latest action
   * (or after message id `after`) that satisfies `predicate`; rejects after `timeoutMs`, listing
   * what the chat shows.
   */
  waitForMessage(
    chatId: number,
    predicate: (m: FakeMessage) => boolean = () => true,
    options: { timeoutMs?: number; after?: number } = {},
  ): Promise<FakeMessage> {
    const after = options.after ?? this.chat(chatId).mark;
    const found = this.chat(chatId).messages.find((m) => m.from.id === this.bot.id && m.message_id > after && predicate(m));
    if (found) return Promise.resolve(clone(found));
    return new Promise((resolve, reject) => {
      const waiter: MessageWaiter = {
        chatId,
        after,
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          this.messageWaiters.delete(waiter);
          resolve(clone(m));
        },
      };
      const timer = setTimeout(() => {
        this.messageWaiters.delete(waiter);
        reject(new Error(`No matching bot message in chat ${chatId} within ${options.timeoutMs ?? 10_000} ms. Recent messages:\n${this.describe(chatId)}`));
      }, options.timeoutMs ?? 10_000);
      this.messageWaiters.add(waiter);
    });
  }

  /** The bot's messages in a chat after message id `after` (default: all), oldest first. */
  botMessages(chatId: number, after = 0): FakeMessage[] {
    return clone(this.chat(chatId).messages.filter((m) => m.from.id === this.bot.id && m.message_id > after));
  }

  /** The highest message id in the chat so far (a mark for `waitForMessage` / `botMessages`). */
  lastMessageId(chatId: number): number {
    return this.chat(chatId).nextMessageId - 1;
  }

  /** True once the bot answered the callback query. */
  wasAnswered(callbackQueryId: string): boolean {
    return this.answeredCallbacks.has(callbackQueryId);
  }

  // ---- Internals -----------------------------------------------------------------------------

  private chat(chatId: number) {
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { messages: [], nextMessageId: 1, user: { id: chatId, is_bot: false, first_name: "Ada", language_code: "en" }, mark: 0 };
      this.chats.set(chatId, chat);
    }
    return chat;
  }

  private userMessage(chatId: number, content: Partial<FakeMessage>): FakeMessage {
    const chat = this.chat(chatId);
    const message: FakeMessage = {
      message_id: chat.nextMessageId++,
      date: now(),
      chat: { id: chatId, type: "private", first_name: chat.user.first_name },
      from: clone(chat.user),
      ...content,
    };
    chat.messages.push(message);
    chat.mark = message.message_id;
    return message;
  }

  private press(chatId: number, message: FakeMessage, data: string, deliveries = 1): FakeUpdate {
    const chat = this.chat(chatId);
    chat.mark = chat.nextMessageId - 1;
    const id = String(this.nextCallbackId++);
    this.issuedCallbacks.add(id);
    const update: FakeUpdate = {
      update_id: this.nextUpdateId++,
      callback_query: { id, from: clone(chat.user), message: clone(message), chat_instance: `ci-${chatId}`, data },
    };
    for (let i = 0; i < deliveries; i++) this.enqueue(clone(update));
    return update;
  }

  private enqueue(update: FakeUpdate): FakeUpdate {
    this.pending.push(update);
    // Answer waiting long polls on the next turn, so updates queued together arrive together.
    setImmediate(() => this.flush());
    return update;
  }

  private flush(): void {
    if (this.webhook) {
      this.deliverByWebhook();
      return;
    }
    if (this.pending.length === 0) return;
    for (const waiter of this.pollWaiters) {
      this.pollWaiters.delete(waiter);
      waiter.respond(clone(this.pending.slice(0, waiter.limit)));
    }
  }

  private deliverByWebhook(): void {
    this.delivering = this.delivering.then(async () => {
      while (this.webhook && this.pending.length > 0 && !this.closed) {
        const update = this.pending[0]!;
        const target = new URL(this.webhook.url);
        const url = this.webhookOrigin ? `${this.webhookOrigin}${target.pathname}${target.search}` : target.toString();
        let status = 0;
        for (let attempt = 0; attempt < 5 && !(status >= 200 && status < 300); attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, 200));
          try {
            const res = await fetch(url, {
              method: "POST",
              headers: { "content-type": "application/json", ...(this.webhook.secret ? { "X-Telegram-Bot-Api-Secret-Token": this.webhook.secret } : {}) },
              body: JSON.stringify(update),
            });
            status = res.status;
            await res.arrayBuffer();
          } catch {
            status = 0;
          }
        }
        this.webhookDeliveries.push({ updateId: update.update_id, status });
        this.pending.shift();
      }
    });
  }

  private describe(chatId: number): string {
    return this.chat(chatId)
      .messages.slice(-8)
      .map((m) => {
        const who = m.from.id === this.bot.id ? "bot" : "user";
        const buttons = (m.reply_markup?.inline_keyboard ?? m.reply_markup?.keyboard ?? []).flat().map((b) => `[${b.text}]`).join(" ");
        return `  #${m.message_id} ${who}: ${JSON.stringify(m.text ?? m.contact ?? m.sticker)} ${buttons}`;
      })
      .join("\n");
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? "/", this.apiRoot);
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!match) throw new ApiError(404, "Not Found");
      if (this.unavailable) throw new ApiError(502, "Bad Gateway");
      if (match[1] !== this.token) throw new ApiError(401, "Unauthorized");
      const method = match[2]!;
      const params = { ...Object.fromEntries(url.searchParams), ...(await readBody(req)) };
      for (const key of ["reply_markup", "allowed_updates", "commands"]) {
        if (typeof params[key] === "string") params[key] = JSON.parse(params[key] as string);
      }
      this.calls.push({ method, params: clone(params) });
      if (method === "getUpdates") {
        this.getUpdates(params, res, (updates) => send(200, { ok: true, result: updates }));
        return;
      }
      send(200, { ok: true, result: this.call(method, params) });
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(400, `Bad Request: ${(e as Error).message}`);
      send(error.code, { ok: false, error_code: error.code, description: error.description });
    }
  }

  private getUpdates(params: Record<string, unknown>, res: http.ServerResponse, respond: (u: FakeUpdate[]) => void): void {
    if (this.webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeout = Math.max(0, Number(params.timeout ?? 0));
    if (offset > 0) this.pending = this.pending.filter((u) => u.update_id >= offset);
    if (this.pending.length > 0 || timeout === 0 || this.closed) {
      respond(clone(this.pending.slice(0, limit)));
      return;
    }
    const waiter: PollWaiter = {
      limit,
      respond: (updates) => {
        clearTimeout(timer);
        this.pollWaiters.delete(waiter);
        respond(updates);
      },
    };
    const timer = setTimeout(() => waiter.respond([]), timeout * 1000);
    // The bot went away (stopped, killed): forget the poll; its updates stay pending.
    res.once("close", () => {
      clearTimeout(timer);
      this.pollWaiters.delete(waiter);
    });
    this.pollWaiters.add(waiter);
  }

  private botMessage(chatId: number, params: Record<string, unknown>): FakeMessage {
    const chat = this.chats.get(chatId);
    if (!chat) throw new ApiError(400, "Bad Request: chat not found");
    const message: FakeMessage = {
      message_id: chat.nextMessageId++,
      date: now(),
      chat: { id: chatId, type: "private", first_name: chat.user.first_name },
      from: { id: this.bot.id, is_bot: true, first_name: this.bot.first_name },
      text: params.text as string,
      ...(params.reply_markup ? { reply_markup: params.reply_markup as FakeMessage["reply_markup"] } : {}),
    };
    chat.messages.push(message);
    this.notify(message);
    return message;
  }

  private notify(message: FakeMessage): void {
    for (const waiter of this.messageWaiters) {
      if (waiter.chatId === message.chat.id && message.message_id > waiter.after && waiter.predicate(message)) waiter.resolve(message);
    }
  }

  private findBotMessage(params: Record<string, unknown>): FakeMessage {
    const chat = this.chats.get(Number(params.chat_id));
    const message = chat?.messages.find((m) => m.message_id === Number(params.message_id) && m.from.id === this.bot.id);
    if (!message) throw new ApiError(400, "Bad Request: message to edit not found");
    return message;
  }

  private call(method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case "getMe":
        return { ...this.bot, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
      case "deleteWebhook":
        this.webhook = null;
        if (params.drop_pending_updates === true || params.drop_pending_updates === "true") this.pending = [];
        return true;
      case "setWebhook": {
        if (typeof params.url !== "string" || !params.url) throw new ApiError(400, "Bad Request: bad webhook: URL is empty");
        this.webhook = { url: params.url, ...(typeof params.secret_token === "string" ? { secret: params.secret_token } : {}) };
        setImmediate(() => this.flush());
        return true;
      }
      case "getWebhookInfo":
        return { url: this.webhook?.url ?? "", has_custom_certificate: false, pending_update_count: this.pending.length };
      case "setMyCommands":
      case "deleteMyCommands":
      case "sendChatAction":
        return true;
      case "sendMessage": {
        const text = params.text;
        if (typeof text !== "string" || text.trim() === "") throw new ApiError(400, "Bad Request: message text is empty");
        if (text.length > 4096) throw new ApiError(400, "Bad Request: message is too long");
        checkMarkup(params.reply_markup);
        return this.botMessage(Number(params.chat_id), params);
      }
      case "editMessageText": {
        const message = this.findBotMessage(params);
        if (typeof params.text !== "string" || params.text.trim() === "") throw new ApiError(400, "Bad Request: message text is empty");
        checkMarkup(params.reply_markup);
        const markup = params.reply_markup as FakeMessage["reply_markup"];
        if (message.text === params.text && JSON.stringify(message.reply_markup) === JSON.stringify(markup)) {
          throw new ApiError(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
        }
        message.text = params.text;
        if (markup) message.reply_markup = markup;
        else delete message.reply_markup;
        message.edit_date = now();
        return clone(message);
      }
      case "editMessageReplyMarkup": {
        const message = this.findBotMessage(params);
        checkMarkup(params.reply_markup);
        const markup = params.reply_markup as FakeMessage["reply_markup"];
        const empty = !markup || (markup.inline_keyboard?.length ?? 0) === 0;
        const had = (message.reply_markup?.inline_keyboard?.length ?? 0) > 0;
        if (empty && !had) throw new ApiError(400, "Bad Request: message is not modified");
        if (empty) delete message.reply_markup;
        else message.reply_markup = markup;
        message.edit_date = now();
        return clone(message);
      }
      case "answerCallbackQuery": {
        const id = String(params.callback_query_id ?? "");
        if (!this.issuedCallbacks.has(id) || this.answeredCallbacks.has(id)) {
          throw new ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
        }
        this.answeredCallbacks.add(id);
        return true;
      }
      case "deleteMessage": {
        const message = this.findBotMessage(params);
        const chat = this.chats.get(message.chat.id)!;
        chat.messages = chat.messages.filter((m) => m !== message);
        return true;
      }
      default:
        throw new ApiError(404, "Not Found: method not found");
    }
  }
}

/** callback_data must be 1-64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
function checkMarkup(markup: unknown): void {
  const rows = (markup as { inline_keyboard?: FakeButton[][] } | undefined)?.inline_keyboard;
  for (const button of rows?.flat() ?? []) {
    const bytes = Buffer.byteLength(button.callback_data ?? "", "utf8");
    if (button.callback_data !== undefined && (bytes < 1 || bytes > 64)) throw new ApiError(400, "Bad Request: BUTTON_DATA_INVALID");
    if (!button.text) throw new ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard");
  }
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (!raw) return {};
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  throw new Error(`unsupported content type ${type || "(none)"}`);
}
