import type { Client, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { isUniqueViolation } from "../db/client.js";
import { parseInput } from "../validation.js";
import { parsePhone } from "./phone.js";

/** A client of a salon. `phone` is E.164; `phoneVerified` means a messenger vouched for it. */
export interface ClientView {
  id: string;
  name: string;
  phone: string | null;
  phoneVerified: boolean;
  locale: string | null;
}

/** A client's identity on one messenger: the channel name and the user's id there. */
export interface IdentityRef {
  tenantId: string;
  /** "telegram", "whatsapp", "viber", "webchat". */
  channel: string;
  /** The messenger's user or chat id, as a string. */
  externalId: string;
}

const identitySchema = z.object({
  tenantId: z.uuid(),
  channel: z.string().min(1).max(32),
  externalId: z.string().min(1).max(128),
});
const registrationSchema = identitySchema.extend({
  phone: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  locale: z.string().max(35).optional(),
});

/**
 * Finds and registers clients by messenger identity and phone.
 *
 * Identities are linked across messengers only by a verified phone (a Telegram contact the user
 * shared about themselves, WhatsApp's wa_id): a typed phone never gives access to someone else's
 * client record or bookings.
 */
export class ClientService {
  constructor(private readonly db: PrismaClient) {}

  /** The client behind a messenger identity, or null on a first visit. */
  async findByIdentity(ref: IdentityRef): Promise<ClientView | null> {
    const { tenantId, channel, externalId } = parseInput(identitySchema, ref, "identity");
    const identity = await this.db.clientIdentity.findUnique({
      where: { tenantId_channel_externalId: { tenantId, channel, externalId } },
      include: { client: true },
    });
    return identity ? toClientView(identity.client) : null;
  }

  /**
   * Registers a phone the messenger vouched for. Links this identity to the salon's client with
   * that verified phone, or creates one. An identity already linked to another client moves to
   * the verified one. Throws `invalid_phone`, `invalid_input`.
   */
  async identifyWithVerifiedPhone(input: IdentityRef & { phone: string; name: string; locale?: string }): Promise<ClientView> {
    const data = parseInput(registrationSchema, input, "client registration");
    const tenant = await this.db.tenant.findUniqueOrThrow({ where: { id: data.tenantId }, select: { country: true } });
    const phone = parsePhone(data.phone, tenant.country);
    return this.retryOnRace(() =>
      this.db.$transaction(async (tx) => {
        const verified = await tx.client.findFirst({ where: { tenantId: data.tenantId, phone, phoneVerified: true } });
        // A record merged by staff (CrmService.merge) keeps its verified phone and points at the survivor.
        const survivor = verified?.mergedIntoId ? await tx.client.findFirst({ where: { tenantId: data.tenantId, id: verified.mergedIntoId } }) : verified;
        const client =
          survivor ??
          (await tx.client.create({
            data: { tenantId: data.tenantId, name: data.name, phone, phoneVerified: true, locale: data.locale ?? null },
          }));
        await tx.clientIdentity.upsert({
          where: { tenantId_channel_externalId: { tenantId: data.tenantId, channel: data.channel, externalId: data.externalId } },
          create: { tenantId: data.tenantId, clientId: client.id, channel: data.channel, externalId: data.externalId, displayName: data.name },
          update: { clientId: client.id, displayName: data.name },
        });
        return toClientView(client);
      }),
    );
  }

  /**
   * Registers a typed (unverified) phone for this identity: a client of its own, never linked to
   * another record with the same phone. A known identity keeps its client and gets the new name
   * and phone. Throws `invalid_phone`, `invalid_input`.
   */
  async registerWithTypedPhone(input: IdentityRef & { phone: string; name: string; locale?: string }): Promise<ClientView> {
    const data = parseInput(registrationSchema, input, "client registration");
    const tenant = await this.db.tenant.findUniqueOrThrow({ where: { id: data.tenantId }, select: { country: true } });
    const phone = parsePhone(data.phone, tenant.country);
    return this.retryOnRace(() =>
      this.db.$transaction(async (tx) => {
        const existing = await tx.clientIdentity.findUnique({
          where: { tenantId_channel_externalId: { tenantId: data.tenantId, channel: data.channel, externalId: data.externalId } },
          include: { client: true },
        });
        if (existing) {
          if (existing.client.phoneVerified) return toClientView(existing.client);
          const updated = await tx.client.update({ where: { id: existing.clientId }, data: { name: data.name, phone } });
          return toClientView(updated);
        }
        const client = await tx.client.create({
          data: { tenantId: data.tenantId, name: data.name, phone, phoneVerified: false, locale: data.locale ?? null },
        });
        await tx.clientIdentity.create({
          data: { tenantId: data.tenantId, clientId: client.id, channel: data.channel, externalId: data.externalId, displayName: data.name },
        });
        return toClientView(client);
      }),
    );
  }

  /** Two first messages of one person may race to create the same client: the loser retries once and finds it. */
  private async retryOnRace<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      return fn();
    }
  }
}

/** Maps a Client row to its view. */
export function toClientView(c: Client): ClientView {
  return { id: c.id, name: c.name, phone: c.phone, phoneVerified: c.phoneVerified, locale: c.locale };
}
