import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../db/client.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import type { ChatKey } from "./chat-state.store.js";
import { LIVENESS_LOCK_NAMESPACE } from "./worker-liveness.js";

const chatSchema = z.object({ tenantId: z.uuid(), channel: z.string().min(1).max(32), chatId: z.string().min(1).max(128) });
const holderSchema = z.string().min(8).max(64);
const ttlSchema = z.number().int().min(100).max(10 * 60_000);

/**
 * Leases on chats (table ChatLease): one worker at a time, across processes, processes a chat's
 * inbox. A lease is claimed with one atomic statement that succeeds only when there is no lease,
 * the current one expired, or its holder's process is gone (its WorkerLiveness lock vanished from
 * pg_locks: a killed process frees its chats at once); it is renewed while its holder works and
 * released when done. Expiry uses the database's clock, so instances with skewed clocks agree.
 * `assertHeld` inside the commit transaction fences off a holder whose lease was taken over.
 */
export class ChatLeaseStore {
  /** `instanceKey`: this process's WorkerLiveness key (0: none; leases then end by expiry only). */
  constructor(
    private readonly db: PrismaClient,
    private readonly instanceKey: () => number = () => 0,
  ) {}

  /** Claims the chat for `holder` (a random token per claim) for `ttlMs`; false when someone else holds a live lease. */
  async claim(chat: ChatKey, holder: string, ttlMs: number): Promise<boolean> {
    const k = parseInput(chatSchema, chat, "chat key");
    const h = parseInput(holderSchema, holder, "lease holder");
    const ttl = parseInput(ttlSchema, ttlMs, "lease duration");
    const instance = this.instanceKey();
    const rows = await this.db.$queryRaw<{ holder: string }[]>`
      INSERT INTO "ChatLease" ("tenantId", "channel", "chatId", "holder", "instanceKey", "expiresAt")
      VALUES (${k.tenantId}::uuid, ${k.channel}, ${k.chatId}, ${h}, ${instance}::int, now() + ${ttl}::int * interval '1 millisecond')
      ON CONFLICT ("tenantId", "channel", "chatId") DO UPDATE
        SET "holder" = EXCLUDED."holder", "instanceKey" = EXCLUDED."instanceKey", "expiresAt" = EXCLUDED."expiresAt"
        WHERE "ChatLease"."expiresAt" <= now()
           OR ("ChatLease"."instanceKey" <> 0 AND NOT EXISTS (
             SELECT 1 FROM pg_locks k
             WHERE k.locktype = 'advisory' AND k.objsubid = 2 AND k.granted
               AND k.classid::bigint = ${LIVENESS_LOCK_NAMESPACE} AND k.objid::bigint = "ChatLease"."instanceKey"))
      RETURNING "holder"`;
    return rows[0]?.holder === h;
  }

  /** Extends `holder`'s lease by `ttlMs` from now; false when the lease was lost (expired and taken). */
  async renew(chat: ChatKey, holder: string, ttlMs: number): Promise<boolean> {
    const k = parseInput(chatSchema, chat, "chat key");
    const h = parseInput(holderSchema, holder, "lease holder");
    const ttl = parseInput(ttlSchema, ttlMs, "lease duration");
    const count = await this.db.$executeRaw`
      UPDATE "ChatLease" SET "expiresAt" = now() + ${ttl}::int * interval '1 millisecond'
      WHERE "tenantId" = ${k.tenantId}::uuid AND "channel" = ${k.channel} AND "chatId" = ${k.chatId} AND "holder" = ${h}`;
    return count === 1;
  }

  /** Gives the chat up (only `holder`'s own lease). Idempotent. */
  async release(chat: ChatKey, holder: string): Promise<void> {
    const k = parseInput(chatSchema, chat, "chat key");
    await this.db.chatLease.deleteMany({ where: { ...k, holder: parseInput(holderSchema, holder, "lease holder") } });
  }

  /**
   * Inside a transaction (`db`): locks the lease row and throws `conflict` unless `holder` holds a
   * live lease. A competing claim waits for the transaction, so nobody takes over mid-commit.
   */
  async assertHeld(chat: ChatKey, holder: string, db: Db): Promise<void> {
    const k = parseInput(chatSchema, chat, "chat key");
    const h = parseInput(holderSchema, holder, "lease holder");
    const rows = await db.$queryRaw<{ live: boolean }[]>`
      SELECT ("expiresAt" > now()) AS "live" FROM "ChatLease"
      WHERE "tenantId" = ${k.tenantId}::uuid AND "channel" = ${k.channel} AND "chatId" = ${k.chatId} AND "holder" = ${h}
      FOR UPDATE`;
    if (rows[0]?.live !== true) throw new DomainError("conflict", `The lease on chat ${k.channel}:${k.chatId} was lost`);
  }
}
