/**
 * A fake Viber REST Bot API on 127.0.0.1 for tests, speaking the wire format of
 * https://developers.viber.com/docs/api/rest-bot-api/: `POST <apiUrl>/<method>` with JSON and the
 * `X-Viber-Auth-Token` header; every answer is HTTP 200 with `{ status, status_message, ... }`
 * (status 0 = ok; 2 invalidAuthToken, 3 badData, 4 missingData, 5 receiverNotRegistered,
 * 6 receiverNotSubscribed, 1 invalidUrl). Message tokens are 64-bit integers beyond 2^53 written
 * as bare JSON numbers, as Viber writes them, and consecutive tokens differ only in the last
 * digits: a client that parses them as floats merges them.
 *
 * Bot side: set_webhook (https only; like Viber it first posts a signed `webhook` event to the URL
 * and fails with invalidUrl unless that gets 200), send_message (validates sender, text, keyboard
 * and tracking_data limits; only to subscribed users), get_account_info.
 *
 * Client side (the test plays the user; every callback is signed with the auth token as Viber
 * signs them): conversationStarted (returns the welcome message from the response body),
 * subscribe, unsubscribe, sendText, pressButton (a button of the last keyboard sent to the user),
 * sharePhone, sendSticker, sendPicture, deliveryReport, post (a raw body again: a provider retry).
 * `viberViolations` (what breaks the rules in one send_message body) serves the channel contract.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A keyboard button as the bot sent it. */
export interface FakeViberButton {
  Columns?: number;
  Rows?: number;
  ActionType?: string;
  ActionBody: string;
  Text?: string;
  Silent?: boolean;
}

/** A keyboard as the bot sent it. */
export interface FakeViberKeyboard {
  Type: "keyboard";
  DefaultHeight?: boolean;
  Buttons: FakeViberButton[];
}

/** A message the bot sent (through send_message, or as the welcome message). */
export interface FakeViberMessage {
  /** Order of everything in the fake (bot messages and user actions). */
  seq: number;
  /** The message token as a string (exact). */
  token: string;
  receiver: string;
  sender: { name: string; avatar?: string };
  text: string;
  keyboard?: FakeViberKeyboard;
  trackingData?: string;
  minApiVersion?: number;
  /** True for the welcome message answered to conversation_started. */
  welcome: boolean;
}

/** A Viber user the fake plays. */
export interface FakeViberUser {
  id: string;
  name: string;
  language: string;
  country: string;
  subscribed: boolean;
}

/** What the bot's webhook answered to one callback. `raw` is the exact body sent (post it again to simulate a retry). */
export interface CallbackResult {
  status: number;
  body: string;
  raw: string;
}

/** How to sign a callback: as Viber does (default), with a wrong key, or not at all. */
export type SignatureMode = "valid" | "wrong" | "missing";

/** A recorded API call. */
export interface FakeViberCall {
  method: string;
  body: Record<string, unknown>;
  /** The answer's status (0 = ok). */
  status: number;
}

/** Limits the fake enforces on send_message; the keyboard limits are the page size the channel promises. */
export const FAKE_LIMITS = { text: 7000, trackingData: 4096, senderName: 28, buttonText: 250, buttons: 24, keyboardRows: 12, bodyBytes: 30 * 1024 };

const ACTION_TYPES = new Set(["reply", "open-url", "location-picker", "share-phone", "none"]);

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly statusMessage: string,
  ) {
    super(statusMessage);
  }
}

/** JSON with every `"message_token":"<digits>"` written as a bare number, as Viber writes it. */
export function viberJson(value: unknown): string {
  return JSON.stringify(value).replace(/"message_token":"(\d+)"/g, '"message_token":$1');
}

/** The hex HMAC-SHA256 signature Viber puts in X-Viber-Content-Signature. */
export function viberSignature(body: string, authToken: string): string {
  return createHmac("sha256", authToken).update(body).digest("hex");
}

const unescapeText = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const clone = <T>(value: T): T => structuredClone(value);

interface Waiter {
  userId: string;
  after: number;
  predicate: (m: FakeViberMessage) => boolean;
  resolve(m: FakeViberMessage): void;
}

/** A running fake. Create with `FakeViber.start()`, `close()` when done. */
export class FakeViber {
  /** Every API call, in order. */
  readonly calls: FakeViberCall[] = [];
  /** Every message the bot sent (welcome messages included), in order. */
  readonly messages: FakeViberMessage[] = [];
  /** The registered webhook URL, or null. */
  webhookUrl: string | null = null;
  /** The event types of the last set_webhook. */
  eventTypes: string[] = [];

  private seq = 0;
  private nextToken: bigint;
  private readonly users = new Map<string, FakeViberUser>();
  private readonly marks = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();

  private constructor(
    private readonly server: http.Server,
    /** The auth token the fake accepts and signs callbacks with. */
    readonly authToken: string,
    /** The base URL to give the bot as its API URL: http://127.0.0.1:<port>/pa. */
    readonly apiUrl: string,
    private readonly webhookOrigin: string | undefined,
    private readonly accountName: string,
  ) {
    // Beyond 2^53 (9.007e15), below 2^63; random so fakes sharing a database never reuse a token.
    this.nextToken = 5_000_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e15)) * 1000n;
  }

  /**
   * Starts a fake on a free port of 127.0.0.1. Callbacks go to the registered webhook URL, or to
   * `webhookOrigin` + its path (a TLS-terminating proxy stand-in: Viber only takes https URLs).
   */
  static async start(options: { authToken: string; webhookOrigin?: string; accountName?: string }): Promise<FakeViber> {
    let fake: FakeViber | undefined;
    const server = http.createServer((req, res) => void fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeViber(server, options.authToken, `http://127.0.0.1:${port}/pa`, options.webhookOrigin, options.accountName ?? "Chairside Test");
    return fake;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** The calls of one method. */
  callsOf(method: string): FakeViberCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  // ---- The simulated client ------------------------------------------------------------------

  /** Sets who a user is (default: "Ada Lovelace", English, DK, not subscribed). */
  setUser(userId: string, user: Partial<Omit<FakeViberUser, "id">>): void {
    Object.assign(this.user(userId), user);
  }

  /** The user as the fake sees them. */
  userInfo(userId: string): FakeViberUser {
    return clone(this.user(userId));
  }

  /**
   * The user opens the chat (conversation_started). Returns the webhook's answer and the welcome
   * message from the response body (null when there was none), recorded like a sent message.
   */
  async conversationStarted(userId: string, options: { context?: string; signature?: SignatureMode } = {}): Promise<CallbackResult & { welcome: FakeViberMessage | null }> {
    const user = this.user(userId);
    this.mark(userId);
    const result = await this.callback(
      {
        event: "conversation_started",
        timestamp: Date.now(),
        chat_hostname: "SN-FAKE_",
        message_token: this.token(),
        type: "open",
        ...(options.context ? { context: options.context } : {}),
        user: this.userObject(user),
        subscribed: user.subscribed,
      },
      options.signature,
    );
    if (result.status !== 200 || result.body.trim() === "") return { ...result, welcome: null };
    const body = JSON.parse(result.body) as Record<string, unknown>;
    checkMessage(body, false);
    return { ...result, welcome: this.record(userId, body, true) };
  }

  /** The user subscribes (the bot may message them from now on). */
  subscribe(userId: string, options: { signature?: SignatureMode } = {}): Promise<CallbackResult> {
    const user = this.user(userId);
    user.subscribed = true;
    return this.callback({ event: "subscribed", timestamp: Date.now(), chat_hostname: "SN-FAKE_", user: this.userObject(user), message_token: this.token() }, options.signature);
  }

  /** The user unsubscribes. */
  unsubscribe(userId: string): Promise<CallbackResult> {
    this.user(userId).subscribed = false;
    return this.callback({ event: "unsubscribed", timestamp: Date.now(), chat_hostname: "SN-FAKE_", user_id: userId, message_token: this.token() });
  }

  /** The user types `text`. A user's first message subscribes them, as on Viber. */
  sendText(userId: string, text: string, options: { signature?: SignatureMode } = {}): Promise<CallbackResult> {
    return this.userMessage(userId, { type: "text", text }, options.signature);
  }

  /**
   * The user presses a button of the last keyboard the bot sent them: the first whose label (the
   * unescaped Text) equals `match`, or that satisfies it. A reply button sends its ActionBody as a
   * text message (with the tracking_data of the bot's last message); a share-phone button needs
   * `options.phone` and shares it. Throws when no such button is shown.
   */
  async pressButton(
    userId: string,
    match: string | ((button: FakeViberButton, message: FakeViberMessage) => boolean),
    options: { phone?: string; signature?: SignatureMode } = {},
  ): Promise<CallbackResult & { button: FakeViberButton }> {
    const shown = this.keyboardOf(userId);
    const test = typeof match === "string" ? (b: FakeViberButton) => unescapeText(b.Text ?? "") === match : match;
    const button = shown?.keyboard?.Buttons.find((b) => test(b, shown));
    if (!shown || !button) throw new Error(`No button ${String(match)} on the keyboard shown to ${userId}. Recent messages:\n${this.describe(userId)}`);
    if (button.ActionType === "share-phone") {
      if (!options.phone) throw new Error("pressButton on a share-phone button needs options.phone");
      return { ...(await this.sharePhone(userId, options.phone, options)), button };
    }
    if (button.ActionType && button.ActionType !== "reply") throw new Error(`Button ${button.Text} is ${button.ActionType}, not a reply button`);
    return { ...(await this.userMessage(userId, { type: "text", text: button.ActionBody }, options.signature)), button };
  }

  /** The user shares their own phone number (the share-phone button's contact message). */
  sharePhone(userId: string, phone: string, options: { signature?: SignatureMode } = {}): Promise<CallbackResult> {
    return this.userMessage(userId, { type: "contact", contact: { name: this.user(userId).name, phone_number: phone } }, options.signature);
  }

  /** The user sends a sticker. */
  sendSticker(userId: string): Promise<CallbackResult> {
    return this.userMessage(userId, { type: "sticker", sticker_id: 46105 });
  }

  /** The user sends a picture. */
  sendPicture(userId: string): Promise<CallbackResult> {
    return this.userMessage(userId, { type: "picture", text: "", media: "https://example.test/img.jpg", thumbnail: "https://example.test/thumb.jpg" });
  }

  /** Viber reports a message as delivered, seen or failed. */
  deliveryReport(message: FakeViberMessage, event: "delivered" | "seen" | "failed", desc?: string): Promise<CallbackResult> {
    return this.callback({
      event,
      timestamp: Date.now(),
      chat_hostname: "SN-FAKE_",
      message_token: message.token,
      user_id: message.receiver,
      ...(event === "failed" ? { desc: desc ?? "failure description" } : {}),
    });
  }

  /** Posts a raw body to the webhook (signed unless told otherwise): a retry of an earlier callback, or a malformed one. */
  async post(raw: string, options: { signature?: SignatureMode; contentType?: string } = {}): Promise<CallbackResult> {
    const url = this.target();
    const headers: Record<string, string> = { "content-type": options.contentType ?? "application/json" };
    const mode = options.signature ?? "valid";
    if (mode === "valid") headers["X-Viber-Content-Signature"] = viberSignature(raw, this.authToken);
    if (mode === "wrong") headers["X-Viber-Content-Signature"] = viberSignature(raw, `${this.authToken}-wrong`);
    const res = await fetch(url, { method: "POST", headers, body: raw });
    return { status: res.status, body: await res.text(), raw };
  }

  /** The last message with a keyboard sent to the user (what Viber shows), or undefined. */
  keyboardOf(userId: string): FakeViberMessage | undefined {
    const shown = [...this.messages].reverse().find((m) => m.receiver === userId && m.keyboard);
    return shown ? clone(shown) : undefined;
  }

  /** Messages to the user after `after` (a `seq`; default all), oldest first. */
  messagesTo(userId: string, after = 0): FakeViberMessage[] {
    return clone(this.messages.filter((m) => m.receiver === userId && m.seq > after));
  }

  /** The newest seq so far (a mark for `messagesTo` and `waitForMessage`). */
  lastSeq(): number {
    return this.seq;
  }

  /**
   * Resolves with the first message to the user after their latest action (or after `after`)
   * that satisfies `predicate`; rejects after `timeoutMs`, listing what the chat shows.
   */
  waitForMessage(userId: string, predicate: (m: FakeViberMessage) => boolean = () => true, options: { timeoutMs?: number; after?: number } = {}): Promise<FakeViberMessage> {
    const after = options.after ?? this.marks.get(userId) ?? 0;
    const found = this.messages.find((m) => m.receiver === userId && m.seq > after && predicate(m));
    if (found) return Promise.resolve(clone(found));
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        userId,
        after,
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(clone(m));
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`No matching message to ${userId} within ${timeoutMs} ms. Recent messages:\n${this.describe(userId)}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  // ---- Internals -----------------------------------------------------------------------------

  private user(userId: string): FakeViberUser {
    let user = this.users.get(userId);
    if (!user) {
      user = { id: userId, name: "Ada Lovelace", language: "en", country: "DK", subscribed: false };
      this.users.set(userId, user);
    }
    return user;
  }

  private userObject(user: FakeViberUser) {
    return { id: user.id, name: user.name, avatar: "https://example.test/avatar.jpg", country: user.country, language: user.language, api_version: 10 };
  }

  private token(): string {
    const token = this.nextToken;
    this.nextToken += 1n;
    return token.toString();
  }

  private mark(userId: string): void {
    this.marks.set(userId, ++this.seq);
  }

  private userMessage(userId: string, message: Record<string, unknown>, signature?: SignatureMode): Promise<CallbackResult> {
    const user = this.user(userId);
    user.subscribed = true; // "when a user sends its first message to a bot the user will be automatically subscribed"
    this.mark(userId);
    const last = [...this.messages].reverse().find((m) => m.receiver === userId);
    return this.callback(
      {
        event: "message",
        timestamp: Date.now(),
        chat_hostname: "SN-FAKE_",
        message_token: this.token(),
        sender: this.userObject(user),
        message: { ...message, ...(last?.trackingData !== undefined ? { tracking_data: last.trackingData } : {}) },
        silent: false,
      },
      signature,
    );
  }

  private target(): string {
    if (!this.webhookUrl) throw new Error("No webhook is set: the bot has not called set_webhook");
    const url = new URL(this.webhookUrl);
    return this.webhookOrigin ? `${this.webhookOrigin}${url.pathname}${url.search}` : url.toString();
  }

  private callback(event: Record<string, unknown>, signature?: SignatureMode): Promise<CallbackResult> {
    return this.post(viberJson(event), { signature: signature ?? "valid" });
  }

  private record(receiver: string, body: Record<string, unknown>, welcome: boolean): FakeViberMessage {
    const message: FakeViberMessage = {
      seq: ++this.seq,
      token: this.token(),
      receiver,
      sender: clone(body.sender as FakeViberMessage["sender"]),
      text: body.text as string,
      welcome,
      ...(body.keyboard ? { keyboard: clone(body.keyboard as FakeViberKeyboard) } : {}),
      ...(typeof body.tracking_data === "string" ? { trackingData: body.tracking_data } : {}),
      ...(typeof body.min_api_version === "number" ? { minApiVersion: body.min_api_version } : {}),
    };
    this.messages.push(message);
    for (const waiter of this.waiters) {
      if (waiter.userId === receiver && message.seq > waiter.after && waiter.predicate(message)) waiter.resolve(message);
    }
    return message;
  }

  private describe(userId: string): string {
    return this.messages
      .filter((m) => m.receiver === userId)
      .slice(-6)
      .map((m) => `  #${m.seq} bot: ${JSON.stringify(m.text)} ${(m.keyboard?.Buttons ?? []).map((b) => `[${unescapeText(b.Text ?? "")}]`).join(" ")}`)
      .join("\n");
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const answer = (body: string) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    };
    const url = new URL(req.url ?? "/", this.apiUrl);
    const method = url.pathname.replace(/^\/pa\//, "");
    if (req.method !== "POST" || !["set_webhook", "send_message", "get_account_info"].includes(method)) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not Found");
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    let body: Record<string, unknown> = {};
    try {
      if (req.headers["x-viber-auth-token"] !== this.authToken) throw new ApiError(2, "invalidAuthToken");
      if (raw.length > FAKE_LIMITS.bodyBytes) throw new ApiError(3, "badData: the message is larger than 30 KB");
      try {
        body = raw.length > 0 ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
      } catch {
        throw new ApiError(3, "badData: the body is not JSON");
      }
      const result = await this.call(method, body);
      this.calls.push({ method, body: clone(body), status: 0 });
      answer(viberJson({ status: 0, status_message: "ok", ...result }));
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(3, `badData: ${(e as Error).message}`);
      this.calls.push({ method, body: clone(body), status: error.status });
      answer(JSON.stringify({ status: error.status, status_message: error.statusMessage }));
    }
  }

  private async call(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (method) {
      case "set_webhook": {
        const url = body.url;
        if (typeof url !== "string") throw new ApiError(4, "missingData: url");
        if (url === "") {
          this.webhookUrl = null;
          return {};
        }
        if (!/^https:\/\/[^\s]+$/.test(url)) throw new ApiError(1, "invalidUrl: only https URLs with a trusted certificate");
        const eventTypes = Array.isArray(body.event_types) ? (body.event_types as string[]) : ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"];
        const previous = this.webhookUrl;
        this.webhookUrl = url;
        // Like Viber: the URL must answer a signed `webhook` callback with 200 before it is accepted.
        let status = 0;
        try {
          status = (await this.callback({ event: "webhook", timestamp: Date.now(), chat_hostname: "SN-FAKE_", message_token: this.token() })).status;
        } catch {
          status = 0;
        }
        if (status !== 200) {
          this.webhookUrl = previous;
          throw new ApiError(1, `invalidUrl: the webhook answered ${status === 0 ? "nothing (connection failed)" : `HTTP ${status}`}`);
        }
        this.eventTypes = eventTypes;
        return { event_types: eventTypes };
      }
      case "send_message": {
        const receiver = body.receiver;
        if (typeof receiver !== "string" || receiver === "") throw new ApiError(4, "missingData: receiver");
        const user = this.users.get(receiver);
        if (!user) throw new ApiError(5, "receiverNotRegistered");
        if (!user.subscribed) throw new ApiError(6, "receiverNotSubscribed");
        checkMessage(body, true);
        const message = this.record(receiver, body, false);
        return { message_token: message.token, chat_hostname: "SN-FAKE_", billing_status: 1 };
      }
      default:
        return {
          id: "pa:5000000000000000000",
          name: this.accountName,
          uri: "chairside-test",
          icon: "https://example.test/icon.jpg",
          background: "https://example.test/background.jpg",
          category: "Local Business",
          subcategory: "Beauty",
          location: { lon: 12.5683, lat: 55.6761 },
          country: "DK",
          webhook: this.webhookUrl ?? "",
          event_types: this.eventTypes,
          subscribers_count: [...this.users.values()].filter((u) => u.subscribed).length,
          members: [{ id: "01234567890A=", name: "Owner", avatar: "https://example.test/owner.jpg", role: "admin" }],
        };
    }
  }
}

/**
 * What in one send_message body (or welcome message) breaks Viber's documented rules
 * (https://developers.viber.com/docs/api/rest-bot-api/#send-message,
 * https://developers.viber.com/docs/tools/keyboards/) or the keyboard page size the channel
 * promises (24 buttons, 12 rows); [] when nothing. Each problem starts with Viber's status name.
 */
export function viberViolations(request: unknown, options: { needsReceiver?: boolean } = {}): string[] {
  const body = (request ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const bad = (what: string) => problems.push(`badData: ${what}`);
  if ((options.needsReceiver ?? true) && (typeof body.receiver !== "string" || body.receiver === "")) problems.push("missingData: receiver");
  const sender = body.sender as { name?: unknown } | undefined;
  if (typeof sender?.name !== "string" || sender.name === "") problems.push("missingData: sender.name");
  else if ([...sender.name].length > FAKE_LIMITS.senderName) bad("sender.name is longer than 28 characters");
  if (body.type !== "text") bad(`the fake only takes text messages (got ${String(body.type)})`);
  if (typeof body.text !== "string" || body.text.trim() === "") bad("text is empty");
  else if (body.text.length > FAKE_LIMITS.text) bad("text is longer than 7000 characters");
  if (body.min_api_version !== undefined && (!Number.isInteger(body.min_api_version) || (body.min_api_version as number) < 1)) bad("min_api_version");
  if (body.tracking_data !== undefined && (typeof body.tracking_data !== "string" || body.tracking_data.length > FAKE_LIMITS.trackingData)) {
    bad("tracking_data must be a string of at most 4096 characters");
  }
  if (body.keyboard !== undefined) problems.push(...keyboardViolations(body.keyboard).map((p) => `badData: ${p}`));
  return problems;
}

function keyboardViolations(value: unknown): string[] {
  const keyboard = value as { Type?: unknown; Buttons?: unknown };
  if (keyboard?.Type !== "keyboard") return ['keyboard.Type must be "keyboard"'];
  if (!Array.isArray(keyboard.Buttons) || keyboard.Buttons.length === 0) return ["keyboard.Buttons must be a non-empty array"];
  const problems: string[] = [];
  if (keyboard.Buttons.length > FAKE_LIMITS.buttons) problems.push(`${keyboard.Buttons.length} buttons on one keyboard (at most ${FAKE_LIMITS.buttons})`);
  let rows = 0;
  let used = 6;
  for (const b of keyboard.Buttons as FakeViberButton[]) {
    if (typeof b.ActionBody !== "string" || b.ActionBody === "") problems.push("a button without ActionBody");
    if (b.ActionType !== undefined && !ACTION_TYPES.has(b.ActionType)) problems.push(`ActionType ${String(b.ActionType)}`);
    const columns = b.Columns ?? 6;
    if (!Number.isInteger(columns) || columns < 1 || columns > 6) problems.push(`Columns ${String(b.Columns)} (1-6)`);
    if (b.Rows !== undefined && (!Number.isInteger(b.Rows) || b.Rows < 1 || b.Rows > 7)) problems.push(`Rows ${String(b.Rows)} (1-7)`);
    if (typeof b.Text !== "string" || b.Text === "") problems.push("a button without Text shows nothing");
    else if ([...b.Text].length > FAKE_LIMITS.buttonText) problems.push("button Text is longer than 250 characters");
    if (used + columns > 6) {
      rows += 1;
      used = 0;
    }
    used += columns;
  }
  if (rows > FAKE_LIMITS.keyboardRows) problems.push(`the keyboard has ${rows} rows, more than ${FAKE_LIMITS.keyboardRows}`);
  return problems;
}

/** Throws Viber's error (4 missingData, 3 badData) for the first violation of a message body. */
function checkMessage(body: Record<string, unknown>, needsReceiver: boolean): void {
  const [problem] = viberViolations(body, { needsReceiver });
  if (problem) throw new ApiError(problem.startsWith("missingData") ? 4 : 3, problem);
}
