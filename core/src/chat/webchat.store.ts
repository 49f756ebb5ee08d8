import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";

/**
 * Web chat conversations and the bot's outgoing activities (tables WebchatConversation,
 * WebchatActivity), for the Bot Framework Activity protocol
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference).
 *
 * The booking page's widget has no Azure account: this server plays its connector. A conversation
 * is opened with an id and a bearer token generated here (only the token's SHA-256 is stored),
 * the bot's replies are appended to the conversation's transcript with increasing `seq`, and the
 * widget polls them Direct Line style with a watermark
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-receive-activities).
 * Conversations that come from Azure Bot Service keep their conversation reference instead, so a
 * reply (or a reminder from another process) can be sent through their `serviceUrl`.
 */

/** A widget conversation id: "wc_" and 32 characters of base64url (24 random bytes). */
export const WIDGET_CONVERSATION_ID = /^wc_[A-Za-z0-9_-]{32}$/;

/** A conversation as the channel needs it. */
export interface WebchatConversationView {
  id: string;
  /** "widget": ours (token, transcript); "azure": from Azure Bot Service (reference). */
  kind: "widget" | "azure";
  /** The Azure conversation reference (serviceUrl, channelId, conversation, bot, user); null for the widget. */
  reference: Record<string, unknown> | null;
  /** The watermark of the last appended activity. */
  lastSeq: number;
}

/** What `activitiesAfter` returns: activities with seq > watermark, oldest first, and the new watermark. */
export interface WebchatTranscriptPage {
  activities: Record<string, unknown>[];
  /** Pass back as `watermark` on the next poll (a string, as Direct Line does). */
  watermark: string;
}

const tenantSchema = z.uuid();
const conversationIdSchema = z.string().min(4).max(128);
const activitySchema = z.record(z.string(), z.unknown());
const MAX_APPEND = 50;
/** Most activities one poll returns. */
export const MAX_PAGE = 100;

/** The id of the `seq`-th activity of a widget conversation, Direct Line style: "<conversation id>|0000001". */
export function widgetActivityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, "0")}`;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** Stores web chat conversations and transcripts; every method is tenant-scoped. */
export class WebchatStore {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Opens a widget conversation: a random id ("wc_…", 24 bytes) and a random bearer token (32
   * bytes, base64url, returned once; only its SHA-256 is stored). The token is `<id>.<secret>`,
   * so a request can be verified from its Authorization header before its body is read.
   */
  async openWidgetConversation(tenantId: string): Promise<{ conversationId: string; token: string }> {
    const tenant = parseInput(tenantSchema, tenantId, "tenant id");
    const conversationId = `wc_${randomBytes(24).toString("base64url")}`;
    const token = `${conversationId}.${randomBytes(32).toString("base64url")}`;
    await this.db.webchatConversation.create({ data: { tenantId: tenant, id: conversationId, tokenHash: sha256(token) } });
    return { conversationId, token };
  }

  /**
   * The widget conversation a bearer token opens, or null when the token is malformed, unknown or
   * belongs to another salon. Constant-time comparison of the hashes; marks the conversation active.
   */
  async verifyWidgetToken(tenantId: string, token: string): Promise<string | null> {
    const tenant = parseInput(tenantSchema, tenantId, "tenant id");
    const dot = token.indexOf(".");
    const id = dot > 0 ? token.slice(0, dot) : "";
    if (!WIDGET_CONVERSATION_ID.test(id) || token.length > 200) return null;
    const row = await this.db.webchatConversation.findUnique({ where: { tenantId_id: { tenantId: tenant, id } }, select: { tokenHash: true } });
    if (!row?.tokenHash) return null;
    const ok = timingSafeEqual(Buffer.from(row.tokenHash, "hex"), Buffer.from(sha256(token), "hex"));
    if (!ok) return null;
    // At most one write a minute per conversation, however often the widget polls.
    await this.db.webchatConversation.updateMany({ where: { tenantId: tenant, id, lastActiveAt: { lt: new Date(Date.now() - 60_000) } }, data: { lastActiveAt: new Date() } });
    return id;
  }

  /** Records (or refreshes) an Azure Bot Service conversation's reference. `id` is the chat id the channel derived. */
  async saveReference(tenantId: string, id: string, reference: Record<string, unknown>): Promise<void> {
    const tenant = parseInput(tenantSchema, tenantId, "tenant id");
    const key = parseInput(conversationIdSchema, id, "conversation id");
    if (WIDGET_CONVERSATION_ID.test(key)) throw new DomainError("invalid_input", "A widget conversation has no Azure reference");
    const value = reference as Prisma.InputJsonObject;
    await this.db.webchatConversation.upsert({
      where: { tenantId_id: { tenantId: tenant, id: key } },
      create: { tenantId: tenant, id: key, reference: value },
      update: { reference: value, lastActiveAt: new Date() },
    });
  }

  /** The conversation, or null when this salon has none of that id. */
  async get(tenantId: string, id: string): Promise<WebchatConversationView | null> {
    const tenant = parseInput(tenantSchema, tenantId, "tenant id");
    const key = parseInput(conversationIdSchema, id, "conversation id");
    const row = await this.db.webchatConversation.findUnique({ where: { tenantId_id: { tenantId: tenant, id: key } } });
    if (!row) return null;
    const reference = row.reference && typeof row.reference === "object" && !Array.isArray(row.reference) ? (row.reference as Record<string, unknown>) : null;
    return { id: row.id, kind: row.tokenHash ? "widget" : "azure", reference, lastSeq: row.lastSeq };
  }

  /**
   * Appends activities to a widget conversation's transcript in one transaction and returns their
   * seq numbers (the watermarks), in order. Concurrent appends get distinct, increasing numbers.
   * Throws `not_found` for an unknown conversation, `invalid_input` for more than 50 at once.
   */
  async append(tenantId: string, id: string, activities: readonly Record<string, unknown>[]): Promise<number[]> {
    const tenant = parseInput(tenantSchema, tenantId, "tenant id");
    const key = parseInput(conversationIdSchema, id, "conversation id");
    const items = parseInput(z.array(activitySchema).max(MAX_APPEND), activities, "activities");
    if (items.length === 0) return [];
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ lastSeq: number }[]>`
        UPDATE "WebchatConversation" SET "lastSeq" = "lastSeq" + ${items.length}::int
        WHERE "tenantId" = ${tenant}::uuid AND "id" = ${key}
        RETURNING "lastSeq"`;
      const last = rows[0]?.lastSeq;
      if (last === undefined) throw new DomainError("not_found", `No web chat conversation ${key} in this salon`);
      const first = last - items.length + 1;
      await tx.webchatActivity.createMany({
        data: items.map((activity, i) => ({ tenantId: tenant, conversationId: key, seq: first + i, activity: activity as Prisma.InputJsonObject })),
      });
      return items.map((_, i) => first + i);
    });
  }

  /**
   * The activities after `watermark` (0: from the start), oldest first, at most 100, each with its
   * id (`widgetActivityId`) unless it has one, and the watermark to poll with next. Throws `not_found` for an unknown conversation.
   */
  async activitiesAfter(tenantId: string, id: string, watermark: number): Promise<WebchatTranscriptPage> {
    const tenant = parseInput(tenantSchema, tenantId, "tenant id");
    const key = parseInput(conversationIdSchema, id, "conversation id");
    const after = parseInput(z.number().int().min(0), watermark, "watermark");
    const rows = await this.db.webchatActivity.findMany({
      where: { tenantId: tenant, conversationId: key, seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: MAX_PAGE,
      select: { seq: true, activity: true },
    });
    if (rows.length === 0 && !(await this.get(tenant, key))) throw new DomainError("not_found", `No web chat conversation ${key} in this salon`);
    const next = rows.at(-1)?.seq ?? after;
    const activities = rows.map((r) => ({ id: widgetActivityId(key, r.seq), ...(r.activity as Record<string, unknown>) }));
    return { activities, watermark: String(next) };
  }

  /** The ids of salons that have no web chat connection at all (neither enabled nor disabled). */
  async salonsWithoutWebchat(): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT t."id"::text AS "id" FROM "Tenant" t
      WHERE NOT EXISTS (SELECT 1 FROM "ChannelConnection" c WHERE c."tenantId" = t."id" AND c."channel" = 'webchat')
      ORDER BY t."createdAt"`;
    return rows.map((r) => r.id);
  }

  /** Deletes conversations (and their transcripts) inactive since `before`; returns how many. */
  async pruneInactive(before: Date): Promise<number> {
    const { count } = await this.db.webchatConversation.deleteMany({ where: { lastActiveAt: { lt: before } } });
    return count;
  }
}
