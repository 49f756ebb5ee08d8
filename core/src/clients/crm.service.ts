import type { Client, Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { toBookingView } from "../booking/booking.service.js";
import type { BookingView } from "../booking/booking.types.js";
import type { Clock } from "../clock.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import { parsePhone } from "./phone.js";

/** A client as staff see them in the admin. Phone is E.164; `phoneVerified` means a messenger vouched for it. */
export interface CrmClient {
  id: string;
  name: string;
  phone: string | null;
  phoneVerified: boolean;
  locale: string | null;
  /** "YYYY-MM-DD"; the year is 2000 when only day and month are known. */
  birthday: string | null;
  notes: string | null;
  tags: string[];
  marketingConsent: boolean;
  createdAt: Date;
}

/** A row of the client list. */
export interface ClientSummary {
  id: string;
  name: string;
  phone: string | null;
  phoneVerified: boolean;
  tags: string[];
}

/** A client's page: details, bookings and figures. Money in minor units of `currency`. */
export interface ClientProfile {
  client: CrmClient;
  /** Confirmed or arrived bookings that have not ended, soonest first. */
  upcoming: BookingView[];
  /** Every other booking (holds left out), newest first, at most 50. */
  past: BookingView[];
  /** Completed bookings. */
  visits: number;
  noShows: number;
  cancellations: number;
  lastVisitAt: Date | null;
  /** Sum of the client's sales minus refunds. */
  totalSpentMinor: number;
  currency: string;
  /** Messengers the client has written from: "telegram", "whatsapp", ... (sorted, distinct). */
  messengers: string[];
}

const BIRTHDAY = /^(?:(\d{4})-|--)?(\d{2})-(\d{2})$/;
const birthdaySchema = z
  .string()
  .trim()
  .regex(BIRTHDAY, "use YYYY-MM-DD or MM-DD")
  .transform((v, ctx) => {
    const [, year, month, day] = BIRTHDAY.exec(v)!;
    const date = new Date(`${year ?? "2000"}-${month}-${day}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(5, 10) !== `${month}-${day}`) {
      ctx.addIssue({ code: "custom", message: "is not a date" });
      return z.NEVER;
    }
    return date;
  });
const tagsSchema = z
  .array(z.string().trim().min(1).max(40))
  .max(30)
  .transform((tags) => dedupeTags(tags));
const nameSchema = z.string().trim().min(1).max(100);

const searchSchema = z.object({ tenantId: z.uuid(), query: z.string().trim().max(100).default(""), limit: z.number().int().min(1).max(100).default(20) });
const refSchema = z.object({ tenantId: z.uuid(), clientId: z.uuid() });
const updateSchema = refSchema.extend({
  name: nameSchema.optional(),
  phone: z.string().trim().min(1).max(64).nullable().optional(),
  birthday: birthdaySchema.nullable().optional(),
  notes: z.string().trim().max(5000).nullable().optional(),
  tags: tagsSchema.optional(),
  marketingConsent: z.boolean().optional(),
});
const createSchema = z.object({
  tenantId: z.uuid(),
  name: nameSchema,
  phone: z.string().trim().min(1).max(64).nullable().optional(),
  birthday: birthdaySchema.nullable().optional(),
  notes: z.string().trim().max(5000).nullable().optional(),
  tags: tagsSchema.optional(),
  marketingConsent: z.boolean().optional(),
});
const mergeSchema = z
  .object({ tenantId: z.uuid(), keepId: z.uuid(), mergeId: z.uuid(), actor: z.string().trim().min(1).max(100) })
  .refine((m) => m.keepId !== m.mergeId, { message: "cannot merge a client into itself", path: ["mergeId"] });

// The shape `toBookingView` reads (see booking.service.ts).
const bookingInclude = {
  service: { select: { name: true } },
  staff: { select: { name: true } },
  client: { select: { name: true, phone: true } },
} as const;

/**
 * The salon's client records for staff: search, profile, edits, and merging two records of one
 * person. Merged records are kept (pointing at the survivor through `mergedIntoId`) and hidden.
 */
export class CrmService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Clients whose name contains every word of `query` (case-insensitive) or whose phone contains
   * its digits (formatting ignored: "20 12 34" finds +4520123456; a leading 00 or trunk 0 is
   * ignored), by name; merged records are left out. An empty query lists clients by name.
   */
  async search(input: { tenantId: string; query?: string; limit?: number }): Promise<ClientSummary[]> {
    const req = parseInput(searchSchema, input, "client search");
    const where: Prisma.ClientWhereInput = { tenantId: req.tenantId, mergedIntoId: null };
    const words = req.query.split(/\s+/).filter(Boolean);
    if (words.length > 0) {
      const or: Prisma.ClientWhereInput[] = [{ AND: words.map((w) => ({ name: { contains: w, mode: "insensitive" as const } })) }];
      const digits = req.query.replace(/\D/g, "").replace(/^0+/, "");
      if (digits.length >= 3) or.push({ phone: { contains: digits } });
      where.OR = or;
    }
    const rows = await this.db.client.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], take: req.limit });
    return rows.map((c) => ({ id: c.id, name: c.name, phone: c.phone, phoneVerified: c.phoneVerified, tags: c.tags }));
  }

  /**
   * A client's page. A merged record's id leads to the record it was merged into (the returned
   * `client.id` then differs: redirect). Throws `not_found`.
   */
  async getProfile(input: { tenantId: string; clientId: string }): Promise<ClientProfile> {
    const parsed = refSchema.safeParse(input);
    if (!parsed.success) throw new DomainError("not_found", "Client was not found");
    const { tenantId } = parsed.data;
    const client = await this.resolve(this.db, tenantId, parsed.data.clientId);
    const now = this.clock.now();
    const [tenant, upcoming, past, counts, lastVisit, spent, identities] = await Promise.all([
      this.db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { currency: true } }),
      this.db.booking.findMany({
        where: { tenantId, clientId: client.id, status: { in: ["confirmed", "arrived"] }, endsAt: { gt: now } },
        include: bookingInclude,
        orderBy: { startsAt: "asc" },
      }),
      this.db.booking.findMany({
        where: {
          tenantId,
          clientId: client.id,
          status: { notIn: ["held", "expired"] },
          NOT: { status: { in: ["confirmed", "arrived"] }, endsAt: { gt: now } },
        },
        include: bookingInclude,
        orderBy: { startsAt: "desc" },
        take: 50,
      }),
      this.db.booking.groupBy({ by: ["status"], where: { tenantId, clientId: client.id }, _count: { _all: true } }),
      this.db.booking.findFirst({ where: { tenantId, clientId: client.id, status: "completed" }, orderBy: { startsAt: "desc" }, select: { startsAt: true } }),
      this.db.sale.aggregate({ where: { tenantId, clientId: client.id }, _sum: { totalMinor: true, refundedMinor: true } }),
      this.db.clientIdentity.findMany({ where: { tenantId, clientId: client.id }, select: { channel: true } }),
    ]);
    const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
    return {
      client: toCrmClient(client),
      upcoming: upcoming.map(toBookingView),
      past: past.map(toBookingView),
      visits: count("completed"),
      noShows: count("no_show"),
      cancellations: count("cancelled"),
      lastVisitAt: lastVisit?.startsAt ?? null,
      totalSpentMinor: (spent._sum.totalMinor ?? 0) - (spent._sum.refundedMinor ?? 0),
      currency: tenant.currency,
      messengers: [...new Set(identities.map((i) => i.channel))].sort(),
    };
  }

  /**
   * Creates a client for staff (walk-in, phone call). A typed phone is never verified, so it links
   * to no messenger identity. Throws `invalid_phone` (details.example), `invalid_input`, `not_found` (salon).
   */
  async createClient(input: z.input<typeof createSchema>): Promise<CrmClient> {
    const req = parseInput(createSchema, input, "client");
    const country = await this.countryOf(req.tenantId);
    const phone = req.phone ? parsePhone(req.phone, country) : null;
    const client = await this.db.client.create({
      data: {
        tenantId: req.tenantId,
        name: req.name,
        phone,
        phoneVerified: false,
        birthday: req.birthday ?? null,
        notes: req.notes || null,
        tags: req.tags ?? [],
        marketingConsent: req.marketingConsent ?? false,
      },
    });
    return toCrmClient(client);
  }

  /**
   * Changes the given fields. A phone changed by staff is unverified (only a messenger verifies);
   * the same phone again keeps its verification; null clears it. `birthday` takes "YYYY-MM-DD" or
   * "MM-DD" (stored with year 2000). Tags are trimmed and de-duplicated (case-insensitive).
   * Throws `invalid_phone`, `invalid_input`, `not_found` (merged records included).
   */
  async update(input: z.input<typeof updateSchema>): Promise<CrmClient> {
    const req = parseInput(updateSchema, input, "client");
    const current = await this.db.client.findFirst({ where: { tenantId: req.tenantId, id: req.clientId, mergedIntoId: null } });
    if (!current) throw new DomainError("not_found", "Client was not found");
    const data: Prisma.ClientUpdateInput = {};
    if (req.name !== undefined) data.name = req.name;
    if (req.phone !== undefined) {
      const phone = req.phone === null ? null : parsePhone(req.phone, await this.countryOf(req.tenantId));
      if (phone !== current.phone) {
        data.phone = phone;
        data.phoneVerified = false;
      }
    }
    if (req.birthday !== undefined) data.birthday = req.birthday;
    if (req.notes !== undefined) data.notes = req.notes || null;
    if (req.tags !== undefined) data.tags = req.tags;
    if (req.marketingConsent !== undefined) data.marketingConsent = req.marketingConsent;
    const [updated] = await this.db.client.updateManyAndReturn({ where: { id: current.id, tenantId: req.tenantId, mergedIntoId: null }, data });
    if (!updated) throw new DomainError("not_found", "Client was not found");
    return toCrmClient(updated);
  }

  /**
   * Merges two records of one person into `keepId`, in one transaction: `mergeId`'s bookings (each
   * gets a BookingEvent "client_merged"; earlier events stay), sales and messenger identities
   * move to `keepId`; records merged earlier into `mergeId` now point at `keepId`; `keepId`'s empty
   * fields (phone, locale, birthday, notes) are filled from `mergeId`, notes present on both are
   * joined, tags are united, marketing consent is kept if either record gave it. Phones: when both
   * records have one and they differ, `keepId`'s stays and `mergeId`'s stays on the merged record
   * (a verified one still leads there, and from there to `keepId`); when `keepId` has none, it takes
   * `mergeId`'s with its verification. `mergeId` ends with `mergedIntoId = keepId` and is hidden.
   * Throws `not_found`, `conflict` (either record is already merged), `invalid_input` (same id).
   */
  async merge(input: { tenantId: string; keepId: string; mergeId: string; actor: string }): Promise<CrmClient> {
    const req = parseInput(mergeSchema, input, "merge");
    const at = this.clock.now();
    const kept = await this.db.$transaction(async (tx) => {
      // Lock both rows in id order so two merges of the same pair cannot deadlock or interleave.
      const ids = [req.keepId, req.mergeId].sort();
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Client" WHERE "tenantId" = ${req.tenantId}::uuid AND id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
      if (locked.length !== 2) throw new DomainError("not_found", "Client was not found");
      const keep = await tx.client.findUniqueOrThrow({ where: { id: req.keepId } });
      const merge = await tx.client.findUniqueOrThrow({ where: { id: req.mergeId } });
      if (keep.mergedIntoId || merge.mergedIntoId) throw new DomainError("conflict", "One of these clients has already been merged");

      const bookings = await tx.booking.findMany({ where: { tenantId: req.tenantId, clientId: merge.id }, select: { id: true } });
      if (bookings.length > 0) {
        await tx.booking.updateMany({ where: { tenantId: req.tenantId, clientId: merge.id }, data: { clientId: keep.id } });
        await tx.bookingEvent.createMany({
          data: bookings.map((b) => ({
            tenantId: req.tenantId,
            bookingId: b.id,
            type: "client_merged",
            actor: req.actor,
            data: { fromClientId: merge.id, toClientId: keep.id },
            createdAt: at,
          })),
        });
      }
      await tx.sale.updateMany({ where: { tenantId: req.tenantId, clientId: merge.id }, data: { clientId: keep.id } });
      await tx.clientIdentity.updateMany({ where: { tenantId: req.tenantId, clientId: merge.id }, data: { clientId: keep.id } });
      await tx.client.updateMany({ where: { tenantId: req.tenantId, mergedIntoId: merge.id }, data: { mergedIntoId: keep.id } });

      const takesPhone = merge.phone !== null && (keep.phone === null || (keep.phone === merge.phone && !keep.phoneVerified && merge.phoneVerified));
      // The merged record gives up a verified phone it hands over first: one verified phone is one client.
      await tx.client.update({
        where: { id: merge.id },
        data: { mergedIntoId: keep.id, ...(takesPhone && merge.phoneVerified ? { phoneVerified: false } : {}) },
      });
      return tx.client.update({
        where: { id: keep.id },
        data: {
          ...(takesPhone ? { phone: merge.phone, phoneVerified: merge.phoneVerified } : {}),
          locale: keep.locale ?? merge.locale,
          birthday: keep.birthday ?? merge.birthday,
          notes: joinNotes(keep.notes, merge.notes),
          tags: dedupeTags([...keep.tags, ...merge.tags]),
          marketingConsent: keep.marketingConsent || merge.marketingConsent,
        },
      });
    });
    return toCrmClient(kept);
  }

  /** The client, following `mergedIntoId` to the record a merged one lives on. Throws `not_found`. */
  private async resolve(db: PrismaClient | Prisma.TransactionClient, tenantId: string, clientId: string): Promise<Client> {
    let id = clientId;
    for (let hops = 0; hops < 5; hops++) {
      const client = await db.client.findFirst({ where: { tenantId, id } });
      if (!client) break;
      if (!client.mergedIntoId) return client;
      id = client.mergedIntoId;
    }
    throw new DomainError("not_found", "Client was not found");
  }

  private async countryOf(tenantId: string): Promise<string> {
    const tenant = await this.db.tenant.findUnique({ where: { id: tenantId }, select: { country: true } });
    if (!tenant) throw new DomainError("not_found", "Salon was not found");
    return tenant.country;
  }
}

/** Maps a Client row to the staff view. */
export function toCrmClient(c: Client): CrmClient {
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    phoneVerified: c.phoneVerified,
    locale: c.locale,
    birthday: c.birthday ? c.birthday.toISOString().slice(0, 10) : null,
    notes: c.notes,
    tags: c.tags,
    marketingConsent: c.marketingConsent,
    createdAt: c.createdAt,
  };
}

function dedupeTags(tags: string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((t) => {
    const key = t.trim().toLowerCase();
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function joinNotes(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b || a.includes(b)) return a;
  return `${a}\n\n${b}`;
}
