import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../db/client.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";

/** One chat on one channel of one salon: the key of a conversation. */
export interface ChatKey {
  tenantId: string;
  /** "telegram", "whatsapp", "viber", "webchat". */
  channel: string;
  /** The channel's chat id, as a string. */
  chatId: string;
}

/** A stored conversation: the JSON state and its version (0 = never saved). */
export interface StoredChatState {
  state: unknown;
  version: number;
}

const keySchema = z.object({
  tenantId: z.uuid(),
  channel: z.string().min(1).max(32),
  chatId: z.string().min(1).max(128),
});

/**
 * Where each chat stands in the client conversation (table ConversationState), so a restart, a
 * second instance or a redeploy never loses a half-finished booking.
 *
 * Optimistic concurrency: `save` names the version it read; each save bumps the version by one,
 * and a save from an outdated read throws DomainError `conflict` without writing. The
 * conversation puts the version into its buttons, which is how a stale button is recognised.
 * The state itself is opaque JSON here: the caller owns its shape and validates it on load.
 */
export class ChatStateStore {
  constructor(private readonly db: PrismaClient) {}

  /** The stored state and version, or null when this chat has never been saved. */
  async load(key: ChatKey): Promise<StoredChatState | null> {
    const k = parseInput(keySchema, key, "chat key");
    const row = await this.db.conversationState.findUnique({
      where: { tenantId_channel_chatId: k },
      select: { state: true, version: true },
    });
    return row ? { state: row.state, version: row.version } : null;
  }

  /**
   * Saves `state` (JSON-serialisable) if the stored version still equals `expectedVersion` (0 for
   * a chat never saved) and returns the new version (`expectedVersion + 1`). Throws `conflict`
   * when another writer saved in between, `invalid_input` on a bad key or version. Pass `db` (a
   * transaction) to commit the state together with other writes (the inbox marking the event done).
   */
  async save(key: ChatKey, state: unknown, expectedVersion: number, db: Db = this.db): Promise<number> {
    const k = parseInput(keySchema, key, "chat key");
    const expected = parseInput(z.number().int().min(0), expectedVersion, "expected version");
    const json = state as Prisma.InputJsonValue;
    const next = expected + 1;
    if (expected === 0) {
      const created = await db.conversationState.createMany({
        data: [{ ...k, state: json, version: next }],
        skipDuplicates: true,
      });
      if (created.count === 1) return next;
    } else {
      const updated = await db.conversationState.updateMany({
        where: { ...k, version: expected },
        data: { state: json, version: next },
      });
      if (updated.count === 1) return next;
    }
    throw new DomainError(
      "conflict",
      `Conversation ${k.channel}:${k.chatId} of tenant ${k.tenantId} changed since version ${expected} was read`,
      { expectedVersion: expected },
    );
  }

  /** Forgets a chat's state (the next load returns null). Idempotent. */
  async clear(key: ChatKey): Promise<void> {
    const k = parseInput(keySchema, key, "chat key");
    await this.db.conversationState.deleteMany({ where: k });
  }
}
