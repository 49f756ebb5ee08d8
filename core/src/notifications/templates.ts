/**
 * The per-salon registry of messenger templates (table MessageTemplate): for each client message
 * kind, the name and language of the template Meta approved and the order of its body parameters.
 * WhatsApp only delivers an approved template outside the 24-hour customer service window
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows);
 * the admin's settings page maintains these rows, delivery reads them.
 */
import type { MessageTemplate, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../db/client.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import { CLIENT_KINDS, type BookingAction, type ClientKind } from "./notification.types.js";

/**
 * What a template's body parameter ({{1}}, {{2}}, ...) may be, rendered at send time in the
 * salon's zone: the client's name, the service, the appointment's local date ("Monday 29
 * March") and time ("10:00"), the staff member, the salon's name.
 */
export const TEMPLATE_PARAMETERS = ["client_name", "service", "date", "time", "staff", "salon"] as const;

/** One of TEMPLATE_PARAMETERS. */
export type TemplateParameter = (typeof TEMPLATE_PARAMETERS)[number];

/** Channels with templates (only WhatsApp has the rule). */
export const TEMPLATE_CHANNELS = ["whatsapp"] as const;

/** One of TEMPLATE_CHANNELS. */
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

/** A quick-reply button of a template, in button order: what tapping it does (the 1 h reminder's). */
export const TEMPLATE_QUICK_REPLIES = ["confirm", "reschedule", "cancel"] as const satisfies readonly BookingAction[];

/** Most body parameters a template may take here. */
export const MAX_TEMPLATE_PARAMETERS = 10;

/** A salon's template for one kind, as callers see it. */
export interface MessageTemplateView {
  tenantId: string;
  channel: TemplateChannel;
  kind: ClientKind;
  /** The template's name at Meta: lowercase letters, digits and underscores. */
  name: string;
  /** Meta's language code of the approved translation, e.g. "en_US", "da". */
  language: string;
  /** The body parameters in order: parameters[0] fills {{1}}. */
  parameters: TemplateParameter[];
  /** The template's quick-reply buttons in order (index 0 first); [] when it has none. */
  quickReplies: BookingAction[];
  updatedAt: Date;
}

/** What `saveTemplate` takes. `channel` defaults to "whatsapp"; `quickReplies` to []. */
export interface MessageTemplateInput {
  channel?: TemplateChannel | undefined;
  kind: ClientKind;
  name: string;
  language: string;
  parameters: readonly TemplateParameter[];
  quickReplies?: readonly BookingAction[] | undefined;
}

/**
 * The zod schema of MessageTemplateInput. Name and language follow Meta's rules:
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates
 * and .../message-templates/supported-languages.
 */
export const messageTemplateInputSchema = z.object({
  channel: z.enum(TEMPLATE_CHANNELS).default("whatsapp"),
  kind: z.enum(CLIENT_KINDS, { error: `kind must be one of ${CLIENT_KINDS.join(", ")}` }),
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,512}$/, "name must be the template's name at Meta: lowercase letters, digits and underscores"),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2,4})?$/, "language must be a WhatsApp language code such as en, en_US or da"),
  parameters: z
    .array(z.enum(TEMPLATE_PARAMETERS, { error: `each parameter must be one of ${TEMPLATE_PARAMETERS.join(", ")}` }))
    .max(MAX_TEMPLATE_PARAMETERS, `a template takes at most ${MAX_TEMPLATE_PARAMETERS} parameters here`),
  quickReplies: z
    .array(z.enum(TEMPLATE_QUICK_REPLIES, { error: `each quick reply must be one of ${TEMPLATE_QUICK_REPLIES.join(", ")}` }))
    .max(3, "a template has at most 3 quick-reply buttons here")
    .refine((a) => new Set(a).size === a.length, "each quick reply may appear once")
    .default([]),
});

const tenantIdSchema = z.uuid();

/** Maps a row to its view. */
export function toTemplateView(row: MessageTemplate): MessageTemplateView {
  return {
    tenantId: row.tenantId,
    channel: row.channel as TemplateChannel,
    kind: row.kind as ClientKind,
    name: row.name,
    language: row.language,
    parameters: row.parameters as TemplateParameter[],
    quickReplies: row.quickReplies as BookingAction[],
    updatedAt: row.updatedAt,
  };
}

/** A salon's templates, by channel then kind (CLIENT_KINDS order). */
export async function listTemplates(db: Db, tenantId: string): Promise<MessageTemplateView[]> {
  const id = parseInput(tenantIdSchema, tenantId, "salon id");
  const rows = await db.messageTemplate.findMany({ where: { tenantId: id } });
  const order = (kind: string) => (CLIENT_KINDS as readonly string[]).indexOf(kind);
  return rows.map(toTemplateView).sort((a, b) => a.channel.localeCompare(b.channel) || order(a.kind) - order(b.kind));
}

/**
 * Creates or replaces the salon's template for (channel, kind). Throws `invalid_input` with
 * `details.issues` naming each bad field (`kind`, `name`, `language`, `parameters.2`, ...) and
 * writes nothing; `not_found` for an unknown salon.
 */
export async function saveTemplate(db: PrismaClient, tenantId: string, input: MessageTemplateInput): Promise<MessageTemplateView> {
  const id = parseInput(tenantIdSchema, tenantId, "salon id");
  const t = parseInput(messageTemplateInputSchema, input, "message template");
  if (!(await db.tenant.findUnique({ where: { id }, select: { id: true } }))) throw new DomainError("not_found", "Salon was not found");
  const fields = { name: t.name, language: t.language, parameters: t.parameters, quickReplies: t.quickReplies };
  const row = await db.messageTemplate.upsert({
    where: { tenantId_channel_kind: { tenantId: id, channel: t.channel, kind: t.kind } },
    create: { tenantId: id, channel: t.channel, kind: t.kind, ...fields },
    update: fields,
  });
  return toTemplateView(row);
}

/** Removes the salon's template for (channel, kind); true when there was one. Throws `invalid_input`. */
export async function deleteTemplate(db: PrismaClient, tenantId: string, kind: ClientKind, channel: TemplateChannel = "whatsapp"): Promise<boolean> {
  const id = parseInput(tenantIdSchema, tenantId, "salon id");
  const k = parseInput(z.enum(CLIENT_KINDS), kind, "message kind");
  const c = parseInput(z.enum(TEMPLATE_CHANNELS), channel, "template channel");
  const { count } = await db.messageTemplate.deleteMany({ where: { tenantId: id, channel: c, kind: k } });
  return count > 0;
}

/** The templates of several salons on `channels`, keyed `${tenantId}:${channel}:${kind}` (for a delivery batch). */
export async function templatesFor(db: Db, tenantIds: readonly string[], channels: readonly string[]): Promise<Map<string, MessageTemplateView>> {
  if (tenantIds.length === 0 || channels.length === 0) return new Map();
  const rows = await db.messageTemplate.findMany({ where: { tenantId: { in: [...tenantIds] }, channel: { in: [...channels] } } });
  return new Map(rows.map((r) => [templateKey(r.tenantId, r.channel, r.kind), toTemplateView(r)]));
}

/** The key of `templatesFor`'s map. */
export function templateKey(tenantId: string, channel: string, kind: string): string {
  return `${tenantId}:${channel}:${kind}`;
}
