import type { Prisma, PrismaClient, StaffRole } from "@prisma/client";
import { DateTime } from "luxon";
import { z } from "zod";
import type { AvailabilityService } from "../availability/availability.service.js";
import type { BookingService } from "../booking/booking.service.js";
import type { Clock } from "../clock.js";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";
import type { ReportsService } from "../reports/daily-close.js";
import { hashPairingCode, newPairingCode, normalizePairingCode } from "./pairing.js";
import {
  type AgendaEntry,
  type ChatLinkView,
  type DayAgenda,
  type LinkedOwner,
  OWNER_ROLES,
  type OwnerRole,
  type OwnerSettingsView,
  type PairingCodeGrant,
  type PairingRefusedDetails,
} from "./owner.types.js";
import { openingMinute, planDailySummaries, type SummaryReport } from "./summary.js";

/** How the owner's pairing works; exported for tests and the admin's wording. */
export const PAIRING_POLICY = {
  /** A code works this long, minutes. */
  ttlMinutes: 15,
  /** Wrong, expired or used codes a chat may try within the window before it must wait. */
  maxFailuresPerChat: 5,
  windowMinutes: 15,
} as const;

const MINUTE = 60_000;
const AGENDA_STATUSES = ["confirmed", "arrived", "completed", "no_show"] as const;
const accountRef = z.object({ tenantId: z.uuid(), accountId: z.uuid() });
const chatRef = z.object({ tenantId: z.uuid(), channel: z.string().regex(/^[a-z]{1,20}$/), chatId: z.string().min(1).max(64) });
const pairSchema = chatRef.extend({ code: z.string().max(100), label: z.string().max(200).nullish() });
const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

type LinkRow = Prisma.StaffChatLinkGetPayload<{ include: { account: { select: { name: true; role: true } } } }>;
const toLinkView = (l: LinkRow): ChatLinkView => ({
  id: l.id,
  tenantId: l.tenantId,
  accountId: l.accountId,
  accountName: l.account.name,
  role: l.account.role,
  channel: l.channel,
  chatId: l.chatId,
  label: l.label,
  linkedAt: l.linkedAt,
});
const isOwnerRole = (role: StaffRole): role is OwnerRole => (OWNER_ROLES as readonly string[]).includes(role);

/**
 * The owner's Telegram in core: one-time pairing codes that link a chat to an owner or manager
 * account (never "the first /start wins"), the linked chats, the salon's owner settings and the
 * day agenda. Low-stock alerts are written by `writeLowStockAlerts` inside the stock change's
 * transaction; daily summaries by `planDailySummaries` (./summary.ts).
 */
export class OwnerService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly services: {
      bookings: Pick<BookingService, "listForCalendar">;
      availability: Pick<AvailabilityService, "findSlotsOnDay">;
      reports: Pick<ReportsService, "dailyClose">;
    },
  ) {}

  /** The salon's opening on a local date ("YYYY-MM-DD"), minutes after local midnight; null when nobody works. */
  openingMinute(tenantId: string, date: string): Promise<number | null> {
    return openingMinute(this.db, parseInput(z.uuid(), tenantId, "salon id"), parseInput(dateSchema, date, "date"));
  }

  /** Writes the daily summaries due now (salons that switched them on, past their opening; once per local date). */
  async planDailySummaries(): Promise<SummaryReport> {
    const { availability, reports } = this.services;
    return planDailySummaries({ db: this.db, availability, reports, agenda: (input) => this.agenda(input) }, this.clock.now());
  }

  /**
   * A new pairing code for an owner or manager account; earlier unused codes of the account stop
   * working. Throws `not_found` (account), `forbidden` (staff role or disabled), `invalid_input`.
   */
  async createPairingCode(input: { tenantId: string; accountId: string }): Promise<PairingCodeGrant> {
    const req = parseInput(accountRef, input, "pairing code");
    const account = await this.db.staffAccount.findFirst({ where: { tenantId: req.tenantId, id: req.accountId } });
    if (!account) throw new DomainError("not_found", "Account was not found");
    if (!isOwnerRole(account.role) || account.disabledAt) throw new DomainError("forbidden", "Only active owner and manager accounts can link a Telegram chat");
    const now = this.clock.now();
    const code = newPairingCode();
    const expiresAt = new Date(now.getTime() + PAIRING_POLICY.ttlMinutes * MINUTE);
    await this.db.$transaction([
      this.db.ownerPairingCode.deleteMany({ where: { tenantId: req.tenantId, accountId: req.accountId, usedAt: null } }),
      this.db.ownerPairingCode.create({ data: { tenantId: req.tenantId, accountId: req.accountId, codeHash: hashPairingCode(code), expiresAt, createdAt: now } }),
    ]);
    return { code, expiresAt };
  }

  /**
   * Links the chat to the code's account (a chat linked before is re-linked) and uses the code up.
   * Refusals count against the chat: after PAIRING_POLICY.maxFailuresPerChat within the window
   * every attempt throws `rate_limited` (details { retryAfterSeconds }). Throws `not_found`
   * (details.reason "unknown" | "expired": also a code of another salon), `conflict` ("used"),
   * `forbidden` ("not_allowed": the account is disabled or no longer owner/manager), `invalid_input`.
   */
  async pair(input: { tenantId: string; channel: string; chatId: string; code: string; label?: string | null }): Promise<ChatLinkView> {
    const req = parseInput(pairSchema, input, "pairing");
    const now = this.clock.now();
    const key = `pair:${req.tenantId}:${req.channel}:${req.chatId}`;
    await this.checkRateLimit(key, now);
    const refuse = async (code: "not_found" | "conflict" | "forbidden", reason: PairingRefusedDetails["reason"], message: string): Promise<never> => {
      await this.db.signInAttempt.create({ data: { key, createdAt: now } });
      throw new DomainError<PairingRefusedDetails>(code, message, { reason });
    };
    const code = normalizePairingCode(req.code);
    if (!code) return refuse("not_found", "unknown", "That is not a pairing code");
    const codeHash = hashPairingCode(code);
    const link = await this.db.$transaction(async (tx) => {
      const used = await tx.ownerPairingCode.updateManyAndReturn({
        where: { codeHash, tenantId: req.tenantId, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      const grant = used[0];
      if (!grant) return null;
      const account = await tx.staffAccount.findFirst({ where: { tenantId: req.tenantId, id: grant.accountId } });
      if (!account || !isOwnerRole(account.role) || account.disabledAt) return "not_allowed" as const;
      const where = { tenantId_channel_chatId: { tenantId: req.tenantId, channel: req.channel, chatId: req.chatId } };
      const data = { accountId: account.id, label: req.label ?? null, linkedAt: now };
      return tx.staffChatLink.upsert({ where, create: { tenantId: req.tenantId, channel: req.channel, chatId: req.chatId, ...data }, update: data, include: { account: { select: { name: true, role: true } } } });
    });
    if (link === "not_allowed") return refuse("forbidden", "not_allowed", "The account of that code may not get owner messages");
    if (link) {
      await this.db.signInAttempt.deleteMany({ where: { key } });
      return toLinkView(link);
    }
    const found = await this.db.ownerPairingCode.findFirst({ where: { codeHash, tenantId: req.tenantId } });
    if (!found) return refuse("not_found", "unknown", "No such pairing code");
    if (found.usedAt) return refuse("conflict", "used", "That pairing code has been used already");
    return refuse("not_found", "expired", "That pairing code has expired");
  }

  /** Unlinks one chat link of the salon (optionally only if it is `accountId`'s). Returns whether one was removed. */
  async unlink(input: { tenantId: string; linkId: string; accountId?: string }): Promise<boolean> {
    const req = parseInput(z.object({ tenantId: z.uuid(), linkId: z.uuid(), accountId: z.uuid().optional() }), input, "chat link");
    const { count } = await this.db.staffChatLink.deleteMany({ where: { tenantId: req.tenantId, id: req.linkId, ...(req.accountId ? { accountId: req.accountId } : {}) } });
    return count > 0;
  }

  /** Unlinks a chat (its /unpair). Returns whether it was linked. */
  async unlinkChat(input: { tenantId: string; channel: string; chatId: string }): Promise<boolean> {
    const req = parseInput(chatRef, input, "chat");
    const { count } = await this.db.staffChatLink.deleteMany({ where: req });
    return count > 0;
  }

  /** The salon's linked chats (one account's with `accountId`), newest first. */
  async listLinks(input: { tenantId: string; accountId?: string }): Promise<ChatLinkView[]> {
    const req = parseInput(z.object({ tenantId: z.uuid(), accountId: z.uuid().optional() }), input, "chat links");
    const rows = await this.db.staffChatLink.findMany({
      where: { tenantId: req.tenantId, ...(req.accountId ? { accountId: req.accountId } : {}) },
      include: { account: { select: { name: true, role: true } } },
      orderBy: { linkedAt: "desc" },
    });
    return rows.map(toLinkView);
  }

  /** The active owner or manager linked to this chat, or null (unlinked, disabled, or a staff role now). */
  async ownerOfChat(input: { tenantId: string; channel: string; chatId: string }): Promise<LinkedOwner | null> {
    const parsed = chatRef.safeParse(input);
    if (!parsed.success) return null;
    const link = await this.db.staffChatLink.findUnique({
      where: { tenantId_channel_chatId: parsed.data },
      include: { account: { select: { id: true, name: true, role: true, disabledAt: true } } },
    });
    if (!link || link.account.disabledAt || !isOwnerRole(link.account.role)) return null;
    return { linkId: link.id, accountId: link.account.id, name: link.account.name, role: link.account.role };
  }

  /** The salon's owner settings (defaults when never saved). */
  async getSettings(tenantId: string): Promise<OwnerSettingsView> {
    const id = parseInput(z.uuid(), tenantId, "salon id");
    const row = await this.db.ownerSettings.findUnique({ where: { tenantId: id } });
    return { dailySummary: row?.dailySummary ?? false };
  }

  /** Changes the salon's owner settings. Throws `invalid_input`, `not_found` (salon). */
  async setSettings(tenantId: string, patch: Partial<OwnerSettingsView>): Promise<OwnerSettingsView> {
    const id = parseInput(z.uuid(), tenantId, "salon id");
    const req = parseInput(z.object({ dailySummary: z.boolean().optional() }).strict(), patch, "owner settings");
    if (!(await this.db.tenant.findUnique({ where: { id }, select: { id: true } }))) throw new DomainError("not_found", "Salon was not found");
    const row = await this.db.ownerSettings.upsert({ where: { tenantId: id }, create: { tenantId: id, ...req }, update: req });
    return { dailySummary: row.dailySummary };
  }

  /**
   * The salon's bookings on a local date (default: today in its zone), soonest first: confirmed,
   * arrived, completed and no-show (not holds or cancelled ones). Throws `not_found`, `invalid_input`.
   */
  async agenda(input: { tenantId: string; date?: string }): Promise<DayAgenda> {
    const tenantId = parseInput(z.uuid(), input.tenantId, "salon id");
    const tenant = await this.db.tenant.findUnique({ where: { id: tenantId }, select: { name: true, locale: true, timeZone: true } });
    if (!tenant) throw new DomainError("not_found", "Salon was not found");
    const date = input.date === undefined ? DateTime.fromJSDate(this.clock.now(), { zone: tenant.timeZone }).toISODate()! : parseInput(dateSchema, input.date, "date");
    const start = DateTime.fromISO(date, { zone: tenant.timeZone }).startOf("day");
    const bookings = await this.services.bookings.listForCalendar({ tenantId, from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() });
    const entries: AgendaEntry[] = [];
    for (const b of bookings) {
      if (!(AGENDA_STATUSES as readonly string[]).includes(b.status)) continue;
      entries.push({
        bookingId: b.id,
        startsAt: b.startsAt,
        endsAt: b.endsAt,
        status: b.status as AgendaEntry["status"],
        clientName: b.clientName,
        serviceName: b.serviceName,
        staffName: b.staffName,
      });
    }
    return { date, zone: tenant.timeZone, salonName: tenant.name, salonLocale: tenant.locale, entries };
  }

  private async checkRateLimit(key: string, now: Date): Promise<void> {
    const windowMs = PAIRING_POLICY.windowMinutes * MINUTE;
    const failures = await this.db.signInAttempt.findMany({
      where: { key, createdAt: { gt: new Date(now.getTime() - windowMs) } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    });
    if (failures.length < PAIRING_POLICY.maxFailuresPerChat) return;
    const oldest = failures[failures.length - PAIRING_POLICY.maxFailuresPerChat]!.createdAt.getTime();
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowMs - now.getTime()) / 1000));
    throw new DomainError("rate_limited", `Too many wrong pairing codes from this chat; try again in ${retryAfterSeconds} s`, { retryAfterSeconds, limit: "chat" });
  }
}
