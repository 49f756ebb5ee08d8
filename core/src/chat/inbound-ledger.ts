import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { parseInput } from "../validation.js";

/** An event a provider delivered: Telegram's update_id, WhatsApp's wamid, Viber's message_token. */
export interface InboundRef {
  tenantId: string;
  /** "telegram", "whatsapp", ... */
  channel: string;
  /** The provider's id of the event, as a string (Viber's exceed 2^53: never a number). */
  externalId: string;
}

const refSchema = z.object({
  tenantId: z.uuid(),
  channel: z.string().min(1).max(32),
  externalId: z.string().min(1).max(256),
});

/**
 * The ledger of inbound provider events (table InboundEvent). Providers retry and long polling
 * may deliver an update again after a crash; `recordOnce` lets exactly one delivery through.
 */
export class InboundLedger {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Records the event; true the first time it is seen, false for a repeat. Atomic under
   * concurrency (INSERT ... ON CONFLICT DO NOTHING): of two simultaneous deliveries one wins.
   */
  async recordOnce(ref: InboundRef): Promise<boolean> {
    const data = parseInput(refSchema, ref, "inbound event");
    const result = await this.db.inboundEvent.createMany({ data: [data], skipDuplicates: true });
    return result.count === 1;
  }

  /** Removes the record of one event so a redelivery is handled again (use when handling failed). */
  async forget(ref: InboundRef): Promise<void> {
    const data = parseInput(refSchema, ref, "inbound event");
    await this.db.inboundEvent.deleteMany({ where: data });
  }

  /** Deletes records received before `before` (providers stop retrying after a day); returns how many. */
  async pruneBefore(before: Date): Promise<number> {
    const result = await this.db.inboundEvent.deleteMany({ where: { receivedAt: { lt: before } } });
    return result.count;
  }
}
