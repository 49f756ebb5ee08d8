/**
 * An in-memory stand-in for core's WebchatStore (same semantics: random ids and tokens, watermarks
 * 1, 2, 3, …), for the web chat contract and unit tests that run without PostgreSQL.
 */
import { createHash, randomBytes } from "node:crypto";
import { DomainError, WIDGET_CONVERSATION_ID, widgetActivityId, type WebchatConversationView, type WebchatTranscriptPage } from "@chairside/core";
import type { WebchatConversations } from "../channels/webchat/webchat.channel.js";

interface Row {
  tenantId: string;
  tokenHash: string | null;
  reference: Record<string, unknown> | null;
  activities: Record<string, unknown>[];
}

const sha256 = (t: string) => createHash("sha256").update(t).digest("hex");

/** Conversations in a Map; `appended` records every activity appended, in order (the render checks read it). */
export class MemoryWebchatConversations implements WebchatConversations {
  readonly rows = new Map<string, Row>();
  readonly appended: { conversationId: string; activity: Record<string, unknown> }[] = [];

  /** Opens a conversation with a chosen id and token (sample payloads carry fixed ids). */
  addWidgetConversation(tenantId: string, conversationId: string, token: string): void {
    this.rows.set(conversationId, { tenantId, tokenHash: sha256(token), reference: null, activities: [] });
  }

  async openWidgetConversation(tenantId: string) {
    const conversationId = `wc_${randomBytes(24).toString("base64url")}`;
    const token = `${conversationId}.${randomBytes(32).toString("base64url")}`;
    this.addWidgetConversation(tenantId, conversationId, token);
    return { conversationId, token };
  }

  async verifyWidgetToken(tenantId: string, token: string) {
    const id = token.split(".")[0] ?? "";
    const row = this.rows.get(id);
    return WIDGET_CONVERSATION_ID.test(id) && row?.tenantId === tenantId && row.tokenHash === sha256(token) ? id : null;
  }

  async saveReference(tenantId: string, id: string, reference: Record<string, unknown>) {
    const row = this.rows.get(id);
    if (row) row.reference = reference;
    else this.rows.set(id, { tenantId, tokenHash: null, reference, activities: [] });
  }

  async get(tenantId: string, id: string): Promise<WebchatConversationView | null> {
    const row = this.rows.get(id);
    if (!row || row.tenantId !== tenantId) return null;
    return { id, kind: row.tokenHash ? "widget" : "azure", reference: row.reference, lastSeq: row.activities.length };
  }

  async append(tenantId: string, id: string, activities: readonly Record<string, unknown>[]) {
    const row = this.rows.get(id);
    if (!row || row.tenantId !== tenantId) throw new DomainError("not_found", `No web chat conversation ${id}`);
    return activities.map((activity) => {
      row.activities.push(activity);
      this.appended.push({ conversationId: id, activity });
      return row.activities.length;
    });
  }

  async activitiesAfter(tenantId: string, id: string, watermark: number): Promise<WebchatTranscriptPage> {
    const row = this.rows.get(id);
    if (!row || row.tenantId !== tenantId) throw new DomainError("not_found", `No web chat conversation ${id}`);
    const activities = row.activities.slice(watermark).map((a, i) => ({ id: widgetActivityId(id, watermark + i + 1), ...a }));
    return { activities, watermark: String(row.activities.length) };
  }
}
