/**
 * The vocabulary of the owner's Telegram: pairing codes, linked chats, the salon's owner
 * settings, and what owner messages (low stock, daily summary) and the day agenda are made of.
 */
import type { StaffRole } from "../auth/permissions.js";

/** The roles that get owner commands and owner alerts in a linked chat. */
export const OWNER_ROLES = ["owner", "manager"] as const satisfies readonly StaffRole[];

/** A role in OWNER_ROLES. */
export type OwnerRole = (typeof OWNER_ROLES)[number];

/** A new pairing code: show `code` once (the database keeps only its sha256). */
export interface PairingCodeGrant {
  /** 8 characters of PAIRING_ALPHABET, e.g. "K7QX2MPA". */
  code: string;
  /** 15 minutes after it was made; single use. */
  expiresAt: Date;
}

/** Why `OwnerService.pair` refused a code (DomainError details; the code is `not_found`, `conflict` or `forbidden`). */
export interface PairingRefusedDetails {
  /** unknown: no such code for this salon; expired; used; not_allowed: the account is disabled or no longer owner/manager. */
  reason: "unknown" | "expired" | "used" | "not_allowed";
}

/** A chat linked to a staff account. */
export interface ChatLinkView {
  id: string;
  tenantId: string;
  accountId: string;
  accountName: string;
  role: StaffRole;
  /** "telegram". */
  channel: string;
  chatId: string;
  /** The messenger's name of the user when the chat was linked. */
  label: string | null;
  linkedAt: Date;
}

/** The owner or manager behind a linked chat. */
export interface LinkedOwner {
  linkId: string;
  accountId: string;
  name: string;
  role: OwnerRole;
}

/** A salon's owner-message settings. */
export interface OwnerSettingsView {
  /** The daily summary at opening time; off by default. */
  dailySummary: boolean;
}

/** OutboxMessage.data of a low-stock alert (kind owner_alert). */
export interface LowStockAlertData {
  alert: "low_stock";
  salonName: string;
  salonLocale: string;
  productId: string;
  productName: string;
  unit: string;
  stockOnHand: number;
  threshold: number;
  /** The LowStockEvent that caused it. */
  eventId: string;
}

/** OutboxMessage.data of a daily summary (kind owner_alert). Money in minor units of `currency`. */
export interface DailySummaryData {
  alert: "daily_summary";
  salonName: string;
  salonLocale: string;
  zone: string;
  /** The local date it is about, "YYYY-MM-DD". */
  date: string;
  /** Bookings today (confirmed, arrived, completed). */
  bookings: number;
  /** Free start times left today: distinct times at which some active service can start, any staff. */
  freeSlots: number;
  /** Yesterday's net takings (payments minus refunds). */
  yesterdayNetMinor: number;
  currency: string;
}

/** One booking of a day agenda. */
export interface AgendaEntry {
  bookingId: string;
  startsAt: Date;
  endsAt: Date;
  status: "confirmed" | "arrived" | "completed" | "no_show";
  clientName: string | null;
  serviceName: string;
  staffName: string;
}

/** A salon's bookings on one local date, soonest first. */
export interface DayAgenda {
  /** "YYYY-MM-DD" in `zone`. */
  date: string;
  zone: string;
  salonName: string;
  salonLocale: string;
  entries: AgendaEntry[];
}
