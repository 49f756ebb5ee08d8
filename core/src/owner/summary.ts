/**
 * The daily summary at opening time: for each salon that switched it on, once its local clock
 * has reached the day's opening (the earliest start of any active staff member's working hours
 * that date, a date override replacing the weekly hours), one outbox row per linked owner or
 * manager chat with today's bookings, today's free slots and yesterday's takings. Key
 * `daily_summary:<local date>:<link id>`: sent once per salon, local date and recipient however
 * often the job runs.
 */
import type { PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import type { AvailabilityService } from "../availability/availability.service.js";
import type { NewOutboxMessage } from "../notifications/notification.types.js";
import { writeMessages } from "../notifications/outbox.repository.js";
import type { ReportsService } from "../reports/daily-close.js";
import { ownerRecipients } from "./alerts.js";
import type { DailySummaryData, DayAgenda } from "./owner.types.js";

/** What the summary needs besides the database. */
export interface SummaryDeps {
  db: PrismaClient;
  availability: Pick<AvailabilityService, "findSlotsOnDay">;
  reports: Pick<ReportsService, "dailyClose">;
  agenda(input: { tenantId: string; date: string }): Promise<DayAgenda>;
}

/** What one planning run did. */
export interface SummaryReport {
  /** Salons with the summary switched on. */
  salons: number;
  /** Outbox rows written. */
  written: number;
}

/**
 * The salon's opening on a local date, minutes after local midnight, or null when nobody works
 * that day. `date` is "YYYY-MM-DD"; weekday rules are ISO (1 = Monday).
 */
export async function openingMinute(db: PrismaClient, tenantId: string, date: string): Promise<number | null> {
  const weekday = DateTime.fromISO(date).weekday;
  const [hours, overrides] = await Promise.all([
    db.weeklyHours.findMany({ where: { tenantId, kind: "work", weekday, staff: { active: true } }, select: { staffId: true, startMinute: true } }),
    db.dateOverride.findMany({ where: { tenantId, date: new Date(`${date}T00:00:00Z`), staff: { active: true } }, select: { staffId: true, ranges: true } }),
  ]);
  const overridden = new Map(overrides.map((o) => [o.staffId, Array.isArray(o.ranges) ? (o.ranges as { startMinute?: unknown }[]) : []]));
  const starts: number[] = [];
  for (const h of hours) if (!overridden.has(h.staffId)) starts.push(h.startMinute);
  for (const ranges of overridden.values()) for (const r of ranges) if (typeof r.startMinute === "number") starts.push(r.startMinute);
  return starts.length > 0 ? Math.min(...starts) : null;
}

/** Writes the summaries that are due at `now` (see the file comment). */
export async function planDailySummaries(deps: SummaryDeps, now: Date): Promise<SummaryReport> {
  const { db } = deps;
  const salons = await db.ownerSettings.findMany({
    where: { dailySummary: true },
    select: { tenant: { select: { id: true, name: true, locale: true, timeZone: true, currency: true } } },
  });
  let written = 0;
  for (const { tenant } of salons) {
    const local = DateTime.fromJSDate(now, { zone: tenant.timeZone });
    const date = local.toISODate()!;
    const recipients = await ownerRecipients(db, tenant.id);
    if (recipients.length === 0) continue;
    const keys = recipients.map((r) => `daily_summary:${date}:${r.linkId}`);
    const existing = await db.outboxMessage.count({ where: { tenantId: tenant.id, idempotencyKey: { in: keys } } });
    if (existing === keys.length) continue;
    const opening = await openingMinute(db, tenant.id, date);
    if (opening === null || local.hour * 60 + local.minute < opening) continue;

    const [agenda, freeSlots, yesterday] = await Promise.all([
      deps.agenda({ tenantId: tenant.id, date }),
      freeSlotsToday(deps, tenant.id, date),
      deps.reports.dailyClose({ tenantId: tenant.id, date: local.minus({ days: 1 }).toISODate()! }),
    ]);
    const data: DailySummaryData = {
      alert: "daily_summary",
      salonName: tenant.name,
      salonLocale: tenant.locale,
      zone: tenant.timeZone,
      date,
      bookings: agenda.entries.filter((e) => e.status !== "no_show").length,
      freeSlots,
      yesterdayNetMinor: yesterday.netMinor,
      currency: tenant.currency,
    };
    const messages: NewOutboxMessage[] = recipients.map((r, i) => ({
      tenantId: tenant.id,
      kind: "owner_alert",
      category: "owner",
      channel: r.channel,
      recipient: r.chatId,
      data: { ...data },
      idempotencyKey: keys[i]!,
    }));
    written += await writeMessages(db, messages, now);
  }
  return { salons: salons.length, written };
}

/** Free start times left today: the distinct times at which at least one active service can start (any staff, staff rules). */
async function freeSlotsToday(deps: SummaryDeps, tenantId: string, date: string): Promise<number> {
  const services = await deps.db.service.findMany({ where: { tenantId, active: true }, select: { id: true } });
  const starts = new Set<number>();
  for (const service of services) {
    const slots = await deps.availability.findSlotsOnDay({ tenantId, serviceId: service.id, staffId: null, date, policy: "staff" });
    for (const slot of slots) starts.add(slot.startsAt.getTime());
  }
  return starts.size;
}
