/**
 * A fake WhatsApp Cloud API on 127.0.0.1 for tests, speaking the documented wire format.
 *
 * Business side (what the bot calls): `POST /{version}/{phone-number-id}/messages` with
 * `Authorization: Bearer <token>` (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
 * Text, interactive (reply buttons, lists) and template messages are checked against the
 * documented shapes and limits (text-messages, interactive-reply-buttons-messages,
 * interactive-list-messages, guides/send-message-templates pages); a violation gets HTTP 400
 * with a Graph error `{ error: { message, type, code, error_data, error_subcode, fbtrace_id } }`,
 * a wrong token 401 (code 190). Accepted messages are recorded and answered with
 * `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id: "wamid..." }] }`.
 * `failNext(n, status)` simulates an outage.
 *
 * Client side (the test plays the WhatsApp user): sendText, pressButton (a button_reply or
 * list_reply for a button or row of the newest interactive message that has it),
 * pressTemplateButton, sendContact, sendImage, and status webhooks (emitStatus, including a failed
 * 131047). Every webhook is POSTed to `webhookUrl` with `X-Hub-Signature-256` computed as Meta
 * does (HMAC-SHA256 of the raw body with the app secret; non-ASCII escaped as \uXXXX), or signed
 * wrongly / not at all on request. Webhook shapes: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
 */
import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** How the fake signs a webhook: correctly (default), with a wrong signature, or without the header. */
export type SignatureMode = "good" | "wrong" | "missing";

/** Options of webhook-posting methods. */
export interface PostOptions {
  signature?: SignatureMode;
  /** Post the same payload this many times (a provider retry). Default 1. */
  deliveries?: number;
}

/** A message the bot sent, as the fake recorded it. */
export interface FakeSentMessage {
  /** The wamid the fake answered with. */
  id: string;
  /** The recipient's wa_id (digits). */
  to: string;
  /** The request body as sent. */
  request: Record<string, any>;
}

/** A button or list row of a sent interactive message. */
export interface FakeChoice {
  kind: "button" | "row";
  id: string;
  title: string;
  description?: string;
}

/** The outcome of one webhook POST (the last one when delivered several times). */
export interface WebhookResult {
  status: number;
  /** The response body. */
  body: string;
  payload: Record<string, unknown>;
  /** The wamid of the user's message, for messages. */
  wamid?: string;
}

/** What `start` needs. */
export interface FakeWhatsAppOptions {
  accessToken: string;
  phoneNumberId: string;
  appSecret: string;
  /** Where webhooks go (can be set later). */
  webhookUrl?: string;
  /** Graph API version in the URL path. Default "v23.0". */
  version?: string;
  displayPhoneNumber?: string;
  wabaId?: string;
}

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly details?: string,
    readonly subcode?: number,
  ) {
    super(message);
  }
}

/** Documented limits the fake enforces. */
const L = { text: 4096, buttonBody: 1024, listBody: 4096, buttons: 3, buttonTitle: 20, buttonId: 256, rows: 10, sections: 10, rowTitle: 24, rowDescription: 72, rowId: 200, listButton: 20, header: 60, footer: 60 };

const invalid = (details: string) => new GraphError(400, 131009, "(#131009) Parameter value is not valid", details, 2494010);
const missing = (details: string) => new GraphError(400, 131008, "(#131008) Required parameter is missing", details, 2494073);
const str = (v: unknown): v is string => typeof v === "string";

/** Meta escapes non-ASCII characters in webhook bodies (and signs that form). */
function metaJson(payload: unknown): string {
  return JSON.stringify(payload).replace(/[^\0-~]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function checkText(value: unknown, max: number, what: string): string {
  if (!str(value) || value.length === 0) throw missing(`${what} is required`);
  if (value.length > max) throw invalid(`${what} must be at most ${max} characters, got ${value.length}`);
  return value;
}

function checkInteractive(i: any): void {
  if (!i || typeof i !== "object") throw missing("interactive is required");
  if (i.header !== undefined) {
    if (i.header.type !== "text") throw invalid("this fake only supports text headers");
    checkText(i.header.text, L.header, "interactive.header.text");
  }
  if (i.footer !== undefined) checkText(i.footer.text, L.footer, "interactive.footer.text");
  if (i.type === "button") {
    checkText(i.body?.text, L.buttonBody, "interactive.body.text");
    const buttons = i.action?.buttons;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > L.buttons) throw invalid(`interactive.action.buttons must have 1 to ${L.buttons} buttons`);
    const ids = new Set<string>();
    const titles = new Set<string>();
    for (const b of buttons) {
      if (b?.type !== "reply") throw invalid("button type must be reply");
      const id = checkText(b.reply?.id, L.buttonId, "button id");
      const title = checkText(b.reply?.title, L.buttonTitle, "button title");
      if (ids.has(id) || titles.has(title)) throw invalid("button ids and titles must be unique");
      ids.add(id);
      titles.add(title);
    }
    return;
  }
  if (i.type === "list") {
    checkText(i.body?.text, L.listBody, "interactive.body.text");
    checkText(i.action?.button, L.listButton, "interactive.action.button");
    const sections = i.action?.sections;
    if (!Array.isArray(sections) || sections.length < 1 || sections.length > L.sections) throw invalid(`interactive.action.sections must have 1 to ${L.sections} sections`);
    const ids = new Set<string>();
    let rows = 0;
    for (const s of sections) {
      if (sections.length > 1) checkText(s?.title, L.rowTitle, "section title");
      else if (s?.title !== undefined) checkText(s.title, L.rowTitle, "section title");
      if (!Array.isArray(s?.rows) || s.rows.length === 0) throw invalid("every section needs rows");
      for (const r of s.rows) {
        const id = checkText(r?.id, L.rowId, "row id");
        checkText(r?.title, L.rowTitle, "row title");
        if (r.description !== undefined) checkText(r.description, L.rowDescription, "row description");
        if (ids.has(id)) throw invalid("row ids must be unique");
        ids.add(id);
        rows++;
      }
    }
    if (rows > L.rows) throw invalid(`a list holds at most ${L.rows} rows in total, got ${rows}`);
    return;
  }
  throw invalid(`interactive type ${String(i.type)} is not supported by this fake`);
}

function checkTemplate(t: any): void {
  if (!str(t?.name) || !/^[a-z0-9_]{1,512}$/.test(t.name)) throw invalid("template.name must be a template name");
  if (!str(t.language?.code) || !t.language.code) throw missing("template.language.code is required");
  for (const c of t.components ?? []) {
    if (c?.type === "body") {
      (c.parameters ?? []).forEach((p: any, n: number) => {
        if (p?.type === "text" && (!str(p.text) || p.text.trim() === "")) throw missing(`body: parameter ${n + 1} is empty`);
        if (str(p?.text) && /[\n\t]| {5,}/.test(p.text)) throw new GraphError(400, 132018, "(#132018) There was an issue with the parameters in your template.", "Param text cannot have new-line/tab characters or more than 4 consecutive spaces");
      });
    } else if (c?.type === "button") {
      if (c.sub_type !== "quick_reply") throw invalid("this fake only supports quick_reply buttons");
      if (!/^\d$/.test(String(c.index))) throw invalid("button index must be 0 to 9");
      for (const p of c.parameters ?? []) if (p?.type !== "payload" || !str(p.payload) || !p.payload) throw missing("quick_reply payload is empty");
    } else {
      throw invalid(`template component type ${String(c?.type)} is not supported by this fake`);
    }
  }
}

/** Checks one outgoing message request against the documented shapes and limits; throws a GraphError. */
function checkMessage(body: any): void {
  if (body?.messaging_product !== "whatsapp") throw missing("messaging_product must be whatsapp");
  if (body.biz_opaque_callback_data !== undefined && (!str(body.biz_opaque_callback_data) || body.biz_opaque_callback_data.length > 512)) {
    throw invalid("biz_opaque_callback_data must be a string of at most 512 characters");
  }
  if (!str(body.to) || !/^\+?\d{6,15}$/.test(body.to)) throw invalid("to must be a phone number or wa_id");
  if (body.recipient_type !== undefined && body.recipient_type !== "individual") throw invalid("recipient_type must be individual");
  switch (body.type) {
    case "text":
      checkText(body.text?.body, L.text, "text.body");
      return;
    case "interactive":
      checkInteractive(body.interactive);
      return;
    case "template":
      checkTemplate(body.template);
      return;
    default:
      throw invalid(`message type ${String(body.type)} is not supported by this fake`);
  }
}

/**
 * What in one `POST /messages` body breaks the documented shapes and limits (the fake's own
 * checks); [] when nothing. For the channel contract suite.
 */
export function whatsappViolations(body: unknown): string[] {
  try {
    checkMessage(body);
    return [];
  } catch (e) {
    return [e instanceof GraphError ? `${e.message}${e.details ? `: ${e.details}` : ""}` : String(e)];
  }
}

interface Waiter {
  to: string;
  after: number;
  predicate: (m: FakeSentMessage) => boolean;
  resolve(m: FakeSentMessage): void;
}

/** A running fake. `FakeWhatsApp.start(...)`, `close()` when done. */
export class FakeWhatsApp {
  /** Every message the bot sent, in order. */
  readonly sent: FakeSentMessage[] = [];
  /** Every Graph request (method, path) with the status the fake answered. */
  readonly requests: { method: string; path: string; status: number }[] = [];
  /** Every webhook POST: what kind and the server's answer (0 = network error). */
  readonly webhookDeliveries: { kind: string; status: number }[] = [];
  /** Where webhooks are POSTed. */
  webhookUrl: string | undefined;

  private readonly names = new Map<string, string>();
  private readonly marks = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private failures: { remaining: number; status: number } = { remaining: 0, status: 500 };
  private counter = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly options: Required<Omit<FakeWhatsAppOptions, "webhookUrl">>,
    /** http://127.0.0.1:<port>/<version>: the value for WHATSAPP_GRAPH_URL. */
    readonly graphUrl: string,
  ) {}

  /** Starts a fake on a free port of 127.0.0.1. */
  static async start(options: FakeWhatsAppOptions): Promise<FakeWhatsApp> {
    let fake: FakeWhatsApp | undefined;
    const server = http.createServer((req, res) => void fake?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const full = { version: "v23.0", displayPhoneNumber: "15550783881", wabaId: "102290129340398", ...options };
    const { webhookUrl, ...rest } = full;
    fake = new FakeWhatsApp(server, rest, `http://127.0.0.1:${port}/${full.version}`);
    fake.webhookUrl = webhookUrl;
    return fake;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** The next `n` Graph requests fail with HTTP `status` and a Graph error body. */
  failNext(n: number, status = 500): void {
    this.failures = { remaining: n, status };
  }

  // ---- The simulated client ------------------------------------------------------------------

  /** The profile name WhatsApp shows for a user (default "Ada Lovelace"). */
  setName(waId: string, name: string): void {
    this.names.set(waId, name);
  }

  /** The user sends a text message. */
  sendText(waId: string, text: string, options: PostOptions = {}): Promise<WebhookResult> {
    return this.userMessage(waId, { type: "text", text: { body: text } }, options);
  }

  /** The user sends a photo (something the bot cannot read). */
  sendImage(waId: string, options: PostOptions = {}): Promise<WebhookResult> {
    const image = { caption: "Like this?", mime_type: "image/jpeg", sha256: randomBytes(32).toString("hex"), id: String(1_000_000_000 + this.counter) };
    return this.userMessage(waId, { type: "image", image }, options);
  }

  /** The user shares a contact card (their own when `cardWaId` equals `waId`). */
  sendContact(waId: string, card: { name: string; phone: string; cardWaId?: string }, options: PostOptions = {}): Promise<WebhookResult> {
    const phones = [{ phone: card.phone, ...(card.cardWaId ? { wa_id: card.cardWaId } : {}), type: "CELL" }];
    return this.userMessage(waId, { type: "contacts", contacts: [{ name: { formatted_name: card.name }, phones }] }, options);
  }

  /** The buttons or rows of a sent message (none for text and templates). */
  choicesOf(message: FakeSentMessage): FakeChoice[] {
    const i = message.request.interactive;
    if (message.request.type !== "interactive" || !i) return [];
    if (i.type === "button") return (i.action.buttons as any[]).map((b) => ({ kind: "button", id: b.reply.id, title: b.reply.title }));
    return (i.action.sections as any[]).flatMap((s) =>
      (s.rows as any[]).map((r) => ({ kind: "row" as const, id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) })),
    );
  }

  /** The text a sent message shows (text body, interactive body, or the template name). */
  textOf(message: FakeSentMessage): string {
    const r = message.request;
    if (r.type === "text") return r.text.body;
    if (r.type === "interactive") return r.interactive.body?.text ?? "";
    if (r.type === "template") return `[template ${r.template.name}]`;
    return "";
  }

  /**
   * The user taps a reply button or picks a list row: of the newest message to `waId` (or exactly
   * `options.messageId`) with a choice whose title equals `match` (or satisfies it). Posts the
   * button_reply / list_reply webhook with the message as context. Throws when none is on screen.
   */
  async pressButton(
    waId: string,
    match: string | ((choice: FakeChoice, message: FakeSentMessage) => boolean),
    options: PostOptions & { messageId?: string } = {},
  ): Promise<WebhookResult & { message: FakeSentMessage; choice: FakeChoice }> {
    const test = typeof match === "string" ? (c: FakeChoice) => c.title === match : match;
    for (const message of this.messagesTo(waId).reverse()) {
      if (options.messageId !== undefined && message.id !== options.messageId) continue;
      const choice = this.choicesOf(message).find((c) => test(c, message));
      if (!choice) continue;
      const interactive =
        choice.kind === "button"
          ? { type: "button_reply", button_reply: { id: choice.id, title: choice.title } }
          : { type: "list_reply", list_reply: { id: choice.id, title: choice.title, ...(choice.description ? { description: choice.description } : {}) } };
      const result = await this.userMessage(waId, { context: { from: this.options.displayPhoneNumber, id: message.id }, type: "interactive", interactive }, options);
      return { ...result, message, choice };
    }
    throw new Error(`No button or row ${String(match)} for ${waId}. Recent messages:\n${this.describe(waId)}`);
  }

  /** The user taps a quick-reply button of a template message (`type: "button"` with its payload). */
  pressTemplateButton(waId: string, payload: string, text: string, options: PostOptions & { messageId?: string } = {}): Promise<WebhookResult> {
    const context = options.messageId ? { context: { from: this.options.displayPhoneNumber, id: options.messageId } } : {};
    return this.userMessage(waId, { ...context, type: "button", button: { payload, text } }, options);
  }

  /**
   * A status webhook about a message the bot sent: sent, delivered, read, or failed (default error
   * 131047, "Re-engagement message": outside the 24-hour window). Carries the message's
   * `biz_opaque_callback_data` when it was sent with one, as Meta does.
   */
  emitStatus(
    wamid: string,
    status: "sent" | "delivered" | "read" | "failed",
    options: PostOptions & { error?: { code: number; title: string; details?: string } } = {},
  ): Promise<WebhookResult> {
    const message = this.sent.find((m) => m.id === wamid);
    const recipient = message?.to ?? "16505551234";
    const billing =
      status === "sent" || status === "delivered"
        ? { conversation: { id: "6ceb9d929c4ad4b2e6cd5ed8ca4bcb5b", origin: { type: "service" } }, pricing: { billable: true, pricing_model: "CBP", category: "service" } }
        : {};
    const error = options.error ?? {
      code: 131047,
      title: "Re-engagement message",
      details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    };
    const errors =
      status === "failed"
        ? { errors: [{ code: error.code, title: error.title, message: error.title, error_data: { details: error.details ?? error.title }, href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/" }] }
        : {};
    // Meta echoes the sender's biz_opaque_callback_data in every status of that message.
    const tracking = typeof message?.request.biz_opaque_callback_data === "string" ? { biz_opaque_callback_data: message.request.biz_opaque_callback_data } : {};
    const value = {
      messaging_product: "whatsapp",
      metadata: this.metadata(),
      statuses: [{ id: wamid, status, timestamp: this.timestamp(), recipient_id: recipient, ...billing, ...errors, ...tracking }],
    };
    return this.postWebhook(this.envelope(value), { ...options, kind: `status:${status}` });
  }

  /**
   * POSTs a webhook body to `webhookUrl`: an object (serialised as Meta does) or a raw string,
   * signed per `options.signature`. Resolves with the last delivery's answer.
   */
  async postWebhook(payload: Record<string, unknown> | string, options: PostOptions & { kind?: string } = {}): Promise<WebhookResult> {
    if (!this.webhookUrl) throw new Error("FakeWhatsApp: set webhookUrl before posting webhooks");
    const raw = typeof payload === "string" ? payload : metaJson(payload);
    const signature = options.signature ?? "good";
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (signature !== "missing") {
      const key = signature === "good" ? this.options.appSecret : `${this.options.appSecret}-wrong`;
      headers["X-Hub-Signature-256"] = `sha256=${createHmac("sha256", key).update(raw).digest("hex")}`;
    }
    let result: WebhookResult = { status: 0, body: "", payload: typeof payload === "string" ? {} : payload };
    for (let i = 0; i < (options.deliveries ?? 1); i++) {
      let status = 0;
      let body = "";
      try {
        const res = await fetch(this.webhookUrl, { method: "POST", headers, body: raw });
        status = res.status;
        body = await res.text();
      } catch {
        status = 0;
      }
      this.webhookDeliveries.push({ kind: options.kind ?? "raw", status });
      result = { ...result, status, body };
    }
    return result;
  }

  /**
   * Resolves with the first message the bot sent to `waId` after the user's latest action (or
   * after index `after` of `sent`) that satisfies `predicate`; rejects after `timeoutMs`.
   */
  waitForMessage(waId: string, predicate: (m: FakeSentMessage) => boolean = () => true, options: { after?: number; timeoutMs?: number } = {}): Promise<FakeSentMessage> {
    const after = options.after ?? this.marks.get(waId) ?? 0;
    const found = this.sent.slice(after).find((m) => m.to === waId && predicate(m));
    if (found) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        to: waId,
        after,
        predicate,
        resolve: (m) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`No matching message to ${waId} within ${timeoutMs} ms. Recent messages:\n${this.describe(waId)}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** The messages the bot sent to `waId` from index `after` of `sent` on, oldest first. */
  messagesTo(waId: string, after = 0): FakeSentMessage[] {
    return this.sent.slice(after).filter((m) => m.to === waId);
  }

  /** A mark for `waitForMessage` / `messagesTo`: the number of messages sent so far. */
  mark(): number {
    return this.sent.length;
  }

  // ---- Internals -----------------------------------------------------------------------------

  private metadata() {
    return { display_phone_number: this.options.displayPhoneNumber, phone_number_id: this.options.phoneNumberId };
  }

  private envelope(value: Record<string, unknown>) {
    return { object: "whatsapp_business_account", entry: [{ id: this.options.wabaId, changes: [{ value, field: "messages" }] }] };
  }

  private timestamp(): string {
    return String(Math.floor(Date.now() / 1000));
  }

  private wamid(waId: string): string {
    this.counter++;
    return `wamid.${Buffer.from(`${waId}:${this.counter}:${randomBytes(9).toString("hex")}`).toString("base64")}`;
  }

  private userMessage(waId: string, content: Record<string, unknown>, options: PostOptions): Promise<WebhookResult> {
    const id = this.wamid(waId);
    const message = { from: waId, id, timestamp: this.timestamp(), ...content };
    const value = {
      messaging_product: "whatsapp",
      metadata: this.metadata(),
      contacts: [{ profile: { name: this.names.get(waId) ?? "Ada Lovelace" }, wa_id: waId }],
      messages: [message],
    };
    this.marks.set(waId, this.sent.length);
    return this.postWebhook(this.envelope(value), { ...options, kind: `message:${String(content.type)}` }).then((r) => ({ ...r, wamid: id }));
  }

  private describe(waId: string): string {
    return this.messagesTo(waId)
      .slice(-8)
      .map((m) => `  ${m.request.type}: ${JSON.stringify(this.textOf(m).slice(0, 80))} ${this.choicesOf(m).map((c) => `[${c.title}]`).join(" ")}`)
      .join("\n");
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0]!;
    const send = (status: number, body: unknown) => {
      this.requests.push({ method: req.method ?? "?", path, status });
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      const raw = await readBody(req);
      if (this.failures.remaining > 0) {
        this.failures.remaining--;
        const status = this.failures.status;
        const [code, message] = status === 429 ? [130429, "(#130429) Rate limit hit"] : status === 503 ? [2, "Service temporarily unavailable"] : [1, "An unknown error has occurred."];
        throw new GraphError(status, code, message);
      }
      if (req.headers.authorization !== `Bearer ${this.options.accessToken}`) {
        throw new GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token");
      }
      const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(path);
      if (!match || req.method !== "POST") throw new GraphError(400, 2500, `Unknown path components: ${path}`);
      if (match[1] !== this.options.version) throw new GraphError(400, 2635, `(#2635) Version ${match[1]} is not the one this fake serves (${this.options.version})`);
      if (match[2] !== this.options.phoneNumberId) {
        throw new GraphError(400, 100, `Unsupported post request. Object with ID '${match[2]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, undefined, 33);
      }
      let body: any;
      try {
        body = JSON.parse(raw);
      } catch {
        throw new GraphError(400, 100, "(#100) Invalid parameter", "the body is not JSON");
      }
      send(200, this.accept(body));
    } catch (e) {
      const error = e instanceof GraphError ? e : new GraphError(500, 1, "An unknown error has occurred.");
      send(error.status, {
        error: {
          message: error.message,
          type: "OAuthException",
          code: error.code,
          ...(error.details ? { error_data: { messaging_product: "whatsapp", details: error.details } } : {}),
          ...(error.subcode !== undefined ? { error_subcode: error.subcode } : {}),
          fbtrace_id: `Fake${randomBytes(8).toString("hex")}`,
        },
      });
    }
  }

  private accept(body: any): unknown {
    if (body?.messaging_product === "whatsapp" && body.status === "read") return { success: true };
    checkMessage(body);
    const to = body.to.replace(/^\+/, "");
    const message: FakeSentMessage = { id: this.wamid(to), to, request: body };
    this.sent.push(message);
    const index = this.sent.length - 1;
    for (const w of this.waiters) if (w.to === to && index >= w.after && w.predicate(message)) w.resolve(message);
    return { messaging_product: "whatsapp", contacts: [{ input: body.to, wa_id: to }], messages: [{ id: message.id }] };
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
