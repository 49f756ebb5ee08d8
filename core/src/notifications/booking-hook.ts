/**
 * Booking changes → outbox rows, inside the change's own transaction (BookingService.onChange):
 * the rows commit or roll back with the change. Every row has an idempotency key, so running the
 * same change twice writes nothing new.
 */
import type { Prisma } from "@prisma/client";
import type { BookingChange } from "../booking/booking.types.js";
import type { BookingAction, BookingMessageData, ClientKind, NewOutboxMessage } from "./notification.types.js";
import { CATEGORY_OF } from "./notification.types.js";
import { cancelPending, writeMessages } from "./outbox.repository.js";
import { noticeTime, planReminders, thankYouTime } from "./plan.js";
import { readSettings, type NotificationSettings } from "./settings.js";

/** Booking channels where no chat answered the client: a change made there is announced by message. */
const NO_CHAT_CHANNELS = new Set(["admin", "web"]);

const REMINDERS = ["reminder_24h", "reminder_1h"] as const;
/** The buttons of the 1 h reminder. */
const REMINDER_ACTIONS: BookingAction[] = ["confirm", "reschedule", "cancel"];

interface Context {
  settings: NotificationSettings;
  zone: string;
  data: BookingMessageData;
  optedOut: boolean;
}

async function loadContext(tx: Prisma.TransactionClient, change: BookingChange): Promise<Context | null> {
  const { booking } = change;
  const [row, stored] = await Promise.all([
    tx.booking.findUnique({
      where: { id: booking.id },
      select: {
        service: { select: { name: true } },
        staff: { select: { name: true } },
        client: { select: { name: true, locale: true, remindersOptOut: true } },
        tenant: { select: { name: true, timeZone: true, locale: true } },
      },
    }),
    tx.notificationSettings.findUnique({ where: { tenantId: booking.tenantId }, select: { settings: true } }),
  ]);
  if (!row?.client) return null;
  const settings = readSettings(stored?.settings);
  return {
    settings,
    zone: row.tenant.timeZone,
    optedOut: row.client.remindersOptOut,
    data: {
      salonName: row.tenant.name,
      zone: row.tenant.timeZone,
      salonLocale: row.tenant.locale,
      clientLocale: row.client.locale,
      clientName: row.client.name,
      bookingId: booking.id,
      serviceName: row.service.name,
      staffName: row.staff.name,
      startsAt: booking.startsAt.toISOString(),
      endsAt: booking.endsAt.toISOString(),
    },
  };
}

function message(
  change: BookingChange,
  kind: ClientKind,
  idempotencyKey: string,
  notBefore: Date,
  data: BookingMessageData,
): NewOutboxMessage {
  return {
    tenantId: change.booking.tenantId,
    kind,
    category: CATEGORY_OF[kind],
    clientId: change.booking.clientId,
    bookingId: change.booking.id,
    data: { ...data },
    idempotencyKey,
    notBefore,
  };
}

function reminders(change: BookingChange, ctx: Context, now: Date): NewOutboxMessage[] {
  if (ctx.optedOut) return [];
  const { booking } = change;
  return planReminders({ booking, settings: ctx.settings, zone: ctx.zone, now }).map((p) =>
    message(change, p.kind, p.idempotencyKey, p.notBefore, p.kind === "reminder_1h" ? { ...ctx.data, actions: REMINDER_ACTIONS } : ctx.data),
  );
}

/**
 * True when the client made this change in a chat: the conversation has already answered there,
 * so no separate notice is sent (bookings made in the admin or on the web page are announced).
 */
function answeredInChat(change: BookingChange): boolean {
  return change.actor === `client:${change.booking.clientId}` && !NO_CHAT_CHANNELS.has(change.booking.channel);
}

/**
 * Writes (and cancels) the outbox rows a booking change causes:
 * - confirmed: a confirmation now (unless the client booked in a chat, which answered already)
 *   and the reminders; reconfirmed (a no-show undone): the reminders still ahead;
 * - rescheduled: pending reminders and notices are cancelled; a notice of the move (or, when the
 *   confirmation had not gone out yet, a confirmation of the new time) and new reminders whose
 *   keys carry the new start;
 * - cancelled: every pending message of the booking is cancelled; a cancellation notice, unless
 *   the client never got a confirmation or cancelled in a chat themselves;
 * - arrived / no_show: pending reminders are cancelled; completed: also a thank-you after the visit.
 * Opted-out clients (STOP) get notices of changes but no reminders or thank-you. Bookings without
 * a client get nothing. Notices respect quiet hours unless the appointment comes first.
 */
export async function handleBookingChange(tx: Prisma.TransactionClient, change: BookingChange, now: Date): Promise<void> {
  const { booking } = change;
  const scope = { tenantId: booking.tenantId, bookingId: booking.id };
  if (!booking.clientId) return;
  switch (change.type) {
    case "arrived":
      await cancelPending(tx, { ...scope, kinds: REMINDERS }, "the client arrived", now);
      return;
    case "no_show":
      await cancelPending(tx, scope, "marked no-show", now);
      return;
    case "cancelled": {
      const unsent = await cancelPending(tx, scope, "booking cancelled", now);
      if (answeredInChat(change) || unsent.some((m) => m.kind === "confirmation")) return;
      const ctx = await loadContext(tx, change);
      if (!ctx?.settings.enabled.cancelled) return;
      const at = noticeTime({ now, startsAt: booking.startsAt, settings: ctx.settings, zone: ctx.zone });
      await writeMessages(tx, [message(change, "cancelled", `cancelled:${booking.id}`, at, ctx.data)], now);
      return;
    }
    case "completed": {
      await cancelPending(tx, { ...scope, kinds: REMINDERS }, "visit completed", now);
      const ctx = await loadContext(tx, change);
      if (!ctx || ctx.optedOut || !ctx.settings.enabled.thank_you) return;
      const at = thankYouTime({ completedAt: now, settings: ctx.settings, zone: ctx.zone });
      const data = ctx.settings.reviewUrl ? { ...ctx.data, reviewUrl: ctx.settings.reviewUrl } : ctx.data;
      await writeMessages(tx, [message(change, "thank_you", `thank_you:${booking.id}`, at, data)], now);
      return;
    }
    case "confirmed":
    case "reconfirmed": {
      const ctx = await loadContext(tx, change);
      if (!ctx) return;
      const rows = reminders(change, ctx, now);
      if (change.type === "confirmed" && ctx.settings.enabled.confirmation && !answeredInChat(change)) {
        const at = noticeTime({ now, startsAt: booking.startsAt, settings: ctx.settings, zone: ctx.zone });
        rows.unshift(message(change, "confirmation", `confirmation:${booking.id}`, at, ctx.data));
      }
      await writeMessages(tx, rows, now);
      return;
    }
    case "rescheduled": {
      const unsent = await cancelPending(tx, { ...scope, kinds: ["confirmation", "rescheduled", ...REMINDERS] }, "booking rescheduled", now);
      const ctx = await loadContext(tx, change);
      if (!ctx) return;
      const rows = reminders(change, ctx, now);
      const start = booking.startsAt.toISOString();
      const unconfirmed = unsent.some((m) => m.kind === "confirmation");
      const kind: ClientKind = unconfirmed ? "confirmation" : "rescheduled";
      if (ctx.settings.enabled[kind] && !answeredInChat(change)) {
        const at = noticeTime({ now, startsAt: booking.startsAt, settings: ctx.settings, zone: ctx.zone });
        const data = change.previousStartsAt && !unconfirmed ? { ...ctx.data, previousStartsAt: change.previousStartsAt.toISOString() } : ctx.data;
        rows.unshift(message(change, kind, `${kind}:${booking.id}:${start}`, at, data));
      }
      await writeMessages(tx, rows, now);
      return;
    }
  }
}
