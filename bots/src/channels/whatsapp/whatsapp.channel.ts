/**
 * WhatsApp as a `Channel`: sends prompts and templates through the Cloud API with whatsapp-api-js
 * (`POST {graphUrl}/{phone-number-id}/messages`, `Authorization: Bearer <access token>`,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages) and parses webhook
 * payloads. The library builds and checks the messages; its fetch is ours, which points it at the
 * configured Graph URL and turns every non-2xx answer into a `WhatsAppApiError`.
 */
import { DeliveryError, DomainError } from "@chairside/core";
import { WhatsAppAPI } from "whatsapp-api-js";
import { BodyComponent, BodyParameter, Language, PayloadComponent, Template } from "whatsapp-api-js/messages";
import type { ClientIndividualRecipientIdentifier, ClientMessage } from "whatsapp-api-js/types";
import type { Logger, Prompt } from "../../conversation/types.js";
import { CATALOGUES, pickLocale, type Language as BotLanguage, type Messages } from "../../i18n/index.js";
import type { Channel, ChannelLimits, ChannelNotification, InboundMessage } from "../channel.js";
import type { WhatsAppCredentials } from "./credentials.js";
import { parsePayload } from "./parse.js";
import { LIMITS, renderPrompt, type RenderedMessage, type RenderLabels } from "./render.js";

/**
 * The base URL whatsapp-api-js puts in front of every call (it cannot be configured there):
 * `https://graph.facebook.com/<v>/`. Our fetch swaps it for the configured Graph URL, whose
 * path carries the version actually used.
 */
const LIBRARY_VERSION = "v23.0";
const LIBRARY_BASE = `https://graph.facebook.com/${LIBRARY_VERSION}`;

/** A refusal (or an unreachable server) of the Graph API. Carries Graph's error fields, never the token. */
export class WhatsAppApiError extends Error {
  override readonly name = "WhatsAppApiError";
  constructor(
    /** What we asked for, e.g. "POST /106540352242922/messages". */
    readonly operation: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** Graph's error.code (131047, 190, 131009, ...), when it sent one. */
    readonly code: number | undefined,
    /** Graph's error.message (or what went wrong on the network). */
    readonly providerMessage: string,
    /** Graph's error_subcode and fbtrace_id, for support requests. */
    readonly extra: { subcode?: number; fbtraceId?: string; details?: string } = {},
  ) {
    const codeText = code === undefined ? "" : `, code ${code}`;
    const details = extra.details ? ` (${extra.details})` : "";
    super(`WhatsApp Cloud API refused ${operation} (HTTP ${status}${codeText}): ${providerMessage}${details}`);
  }
}

interface GraphErrorBody {
  error?: { message?: unknown; code?: unknown; error_subcode?: unknown; fbtrace_id?: unknown; error_data?: { details?: unknown } };
}

/** Graph's JSON error body → a WhatsAppApiError. https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes */
async function graphError(operation: string, res: Response): Promise<WhatsAppApiError> {
  const text = await res.text().catch(() => "");
  let body: GraphErrorBody = {};
  try {
    body = JSON.parse(text) as GraphErrorBody;
  } catch {
    // not JSON (a proxy's error page): keep the status
  }
  const e = body.error ?? {};
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
  return new WhatsAppApiError(operation, res.status, num(e.code), str(e.message) ?? (res.statusText || "no error message"), {
    ...(num(e.error_subcode) !== undefined ? { subcode: num(e.error_subcode) } : {}),
    ...(str(e.fbtrace_id) ? { fbtraceId: str(e.fbtrace_id) } : {}),
    ...(str(e.error_data?.details) ? { details: str(e.error_data?.details) } : {}),
  });
}

/**
 * The fetch handed to whatsapp-api-js: rewrites the library's fixed graph.facebook.com URL to
 * `graphUrl`, refuses any other URL (the request carries the access token), and throws a
 * WhatsAppApiError for network failures and non-2xx answers (the library itself would parse any
 * body as a success).
 */
export function graphFetch(graphUrl: string, baseFetch: typeof fetch = fetch): typeof fetch {
  const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(`${LIBRARY_BASE}/`)) throw new Error(`Refusing to send the WhatsApp access token to an unexpected URL (${new URL(url).origin})`);
    const path = url.slice(LIBRARY_BASE.length);
    const operation = `${init?.method ?? "GET"} ${path.split("?")[0]}`;
    let res: Response;
    try {
      res = await baseFetch(`${graphUrl}${path}`, init);
    } catch (e) {
      const cause = (e as { cause?: { code?: unknown } }).cause?.code;
      throw new WhatsAppApiError(operation, 0, undefined, `the Graph API at ${new URL(graphUrl).origin} could not be reached${typeof cause === "string" ? ` (${cause})` : ""}`);
    }
    if (!res.ok) throw await graphError(operation, res);
    return res;
  };
  return wrapped as typeof fetch;
}

/** Every catalogue's strings, to recognise a prompt's language by its buttons. */
const CATALOGUE_STRINGS = new Map(Object.entries(CATALOGUES).map(([language, messages]) => [language as BotLanguage, new Set(Object.values(messages))]));

/**
 * The catalogue a prompt was written from. A Prompt does not say its language, but its buttons
 * come from the catalogue (Back, Menu, Confirm, ...): the language with the most labels in common
 * wins; on a tie (or none) the salon's language from the credentials.
 */
export function catalogueFor(prompt: Prompt, fallback: BotLanguage): Messages {
  const labels = (prompt.choices ?? []).map((c) => c.label);
  const score = (language: BotLanguage) => labels.filter((l) => CATALOGUE_STRINGS.get(language)?.has(l)).length;
  let best = fallback;
  let bestScore = score(fallback);
  for (const language of CATALOGUE_STRINGS.keys()) {
    if (score(language) > bestScore) {
      best = language;
      bestScore = score(language);
    }
  }
  return CATALOGUES[best];
}

/** The customer service window: 24 hours from the client's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Free-form text is sent only while this much of the window is left: it must arrive before it closes. */
export const WINDOW_SAFETY_MS = 10 * 60 * 1000;

/**
 * Whether free-form messages may go to a client who last wrote at `lastInboundAt` (null: never):
 * within 24 hours of it, less WINDOW_SAFETY_MS. Outside it only an approved template is delivered;
 * anything else fails later with 131047.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
 */
export function customerServiceWindowOpen(lastInboundAt: Date | null, now: Date): boolean {
  return lastInboundAt !== null && now.getTime() - lastInboundAt.getTime() < CUSTOMER_SERVICE_WINDOW_MS - WINDOW_SAFETY_MS;
}

/** Template names: lowercase letters, digits and underscores. https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates */
const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
/** `button.<index>` keys of sendTemplate's params: quick-reply payloads. */
const BUTTON_KEY = /^button\.(\d)$/;

/** The parts of a template message, from sendTemplate's flat params. */
export function templateParts(params: Record<string, string>, defaultLanguage: string): { language: string; body: string[]; payloads: string[] } {
  const body: string[] = [];
  const buttons = new Map<number, string>();
  for (const [key, raw] of Object.entries(params)) {
    if (key === "language") continue;
    // Graph refuses new lines, tabs and more than 4 spaces in a row in a parameter (error 132018).
    const value = String(raw).replace(/\s+/g, " ").trim();
    if (!value) throw new DomainError("invalid_input", `Template parameter "${key}" is empty; WhatsApp refuses empty parameters`, { parameter: key });
    const button = BUTTON_KEY.exec(key);
    if (button) buttons.set(Number(button[1]), value);
    else body.push(value);
  }
  const payloads = [...buttons.keys()].sort((a, b) => a - b).map((index, i) => {
    if (index !== i) throw new DomainError("invalid_input", `Template button payloads must be button.0, button.1, ... without gaps; button.${i} is missing`, { parameter: `button.${i}` });
    return buttons.get(index)!;
  });
  const language = params.language?.trim() || defaultLanguage;
  return { language, body, payloads };
}

/** WhatsApp (Cloud API) as a Channel. */
export class WhatsAppChannel implements Channel {
  readonly name = "whatsapp";
  /** 10 rows per list message (3 reply buttons); row titles up to 24 characters (button titles 20). */
  readonly limits: ChannelLimits = { maxChoices: LIMITS.listRows, maxLabelLength: LIMITS.rowTitle, sharesContact: false };
  private readonly api: WhatsAppAPI;
  private readonly language: BotLanguage;

  constructor(
    private readonly credentials: WhatsAppCredentials,
    private readonly log: Logger,
    fetchImpl: typeof fetch = fetch,
  ) {
    // secure: false: this instance only sends. Webhook signatures are checked in webhook.ts on the raw bytes.
    this.api = new WhatsAppAPI({
      token: credentials.accessToken,
      v: LIBRARY_VERSION,
      secure: false,
      ponyfill: { fetch: graphFetch(credentials.graphUrl, fetchImpl) },
    });
    this.language = pickLocale(credentials.language, undefined);
  }

  /** The inbound messages of a webhook payload for this phone number (statuses: see webhook.ts). */
  parse(payload: unknown): InboundMessage[] {
    return parsePayload(payload, this.credentials.phoneNumberId);
  }

  /**
   * Sends each prompt, in order, as one or more messages; resolves with the wamid of every message
   * sent, in order (delivery statuses refer to them). Throws the WhatsAppApiError of a refused
   * message (the ones before it were sent).
   */
  send(chatId: string, prompts: readonly Prompt[]): Promise<string[]> {
    return this.sendPrompts(chatId, prompts);
  }

  /** The same as `send`; `trackingId` goes in every message's `biz_opaque_callback_data`. */
  async sendPrompts(chatId: string, prompts: readonly Prompt[], trackingId?: string): Promise<string[]> {
    const ids: string[] = [];
    for (const prompt of prompts) {
      const messages = catalogueFor(prompt, this.language);
      const labels: RenderLabels = { choose: messages.choose, more: messages.moreChoices };
      for (const rendered of renderPrompt(prompt, labels)) ids.push(await this.post(chatId, rendered.type === "text" ? rendered.text : rendered.interactive, trackingId));
    }
    this.log.debug("WhatsApp messages sent", { chatId, wamids: ids });
    return ids;
  }

  /**
   * Sends an approved template (the only kind of message allowed outside the 24-hour customer
   * service window, https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates).
   * `params`: `language` (default: the credentials' language); `button.0`, `button.1`, ...: the
   * quick-reply payloads, in button order; every other key a body parameter ({{1}}, {{2}}, ...)
   * in the object's key order. Throws DomainError invalid_input for a bad name or an empty
   * parameter (Graph would answer 400), WhatsAppApiError when Graph refuses.
   */
  async sendTemplate(chatId: string, template: string, params: Record<string, string>): Promise<void> {
    await this.sendTemplateMessage(chatId, template, params);
  }

  /** `sendTemplate`, returning the wamid. */
  async sendTemplateMessage(chatId: string, template: string, params: Record<string, string>): Promise<string> {
    const { language, body, payloads } = templateParts(params, this.credentials.language);
    return this.postTemplate(chatId, template, language, body, payloads);
  }

  /**
   * An outbox message (`Channel.sendNotification`): inside the customer service window the
   * rendered prompt (its first message's wamid is returned), outside it the salon's template,
   * both with `trackingId` as `biz_opaque_callback_data` (echoed in status webhooks). Outside the
   * window without a template nothing is sent: throws a permanent DeliveryError, so the outbox
   * falls back to the client's other messenger. Graph's refusals as WhatsAppApiError.
   * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
   */
  async sendNotification(chatId: string, notification: ChannelNotification): Promise<string> {
    if (customerServiceWindowOpen(notification.lastInboundAt, notification.now)) {
      const [first] = await this.sendPrompts(chatId, [notification.prompt], notification.trackingId);
      if (!first) throw new WhatsAppApiError(`POST /${this.credentials.phoneNumberId}/messages`, 200, undefined, "the prompt rendered to no message");
      return first;
    }
    const template = notification.template();
    if (!template) {
      throw new DeliveryError(`more than 24 hours since the client's last message, and no template is set for ${notification.kind}`, true);
    }
    return this.postTemplate(chatId, template.name, template.language, template.body, template.quickReplies, notification.trackingId);
  }

  /** Builds and posts a template message; the body parameters and payloads must be non-empty. */
  private async postTemplate(chatId: string, template: string, language: string, body: readonly string[], payloads: readonly string[], trackingId?: string): Promise<string> {
    if (!TEMPLATE_NAME.test(template)) throw new DomainError("invalid_input", `"${template.slice(0, 60)}" is not a WhatsApp template name (a-z, 0-9, _)`);
    let message: Template;
    try {
      const components = [
        ...(body.length > 0 ? [new BodyComponent(...(body.map((p) => new BodyParameter(p)) as [BodyParameter, ...BodyParameter[]]))] : []),
        ...payloads.map((p) => new PayloadComponent(p)),
      ];
      message = new Template(template, new Language(language), ...components);
    } catch (e) {
      throw new DomainError("invalid_input", `Template ${template}: ${(e as Error).message}`);
    }
    const id = await this.post(chatId, message, trackingId);
    this.log.debug("WhatsApp template sent", { chatId, template, wamid: id });
    return id;
  }

  private async post(chatId: string, message: ClientMessage, trackingId?: string): Promise<string> {
    // The chat id is the wa_id (the phone number without "+"). The library's type insists on a
    // business-scoped user id as well, which we do not have.
    const recipient = { phone: chatId } as ClientIndividualRecipientIdentifier;
    const response = await this.api.sendMessage(this.credentials.phoneNumberId, recipient, message, undefined, trackingId);
    const id = "messages" in response ? response.messages[0]?.id : undefined;
    if (!id) throw new WhatsAppApiError(`POST /${this.credentials.phoneNumberId}/messages`, 200, undefined, "the answer has no message id");
    return id;
  }
}
