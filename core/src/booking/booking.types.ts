import type { AvailableSlot } from "../availability/availability.service.js";

/** Lifecycle of a booking. `held` keeps a slot while the client confirms; `expired` is a lapsed hold. */
export type BookingStatus = "held" | "confirmed" | "arrived" | "completed" | "no_show" | "cancelled" | "expired";

/** A booking with the names a person needs to recognise it. Price in minor units of `currency`. */
export interface BookingView {
  id: string;
  tenantId: string;
  status: BookingStatus;
  startsAt: Date;
  endsAt: Date;
  serviceId: string;
  serviceName: string;
  staffId: string;
  staffName: string;
  clientId: string | null;
  clientName: string | null;
  /** E.164. */
  clientPhone: string | null;
  /** Where it was booked: "telegram", "admin", "web", ... */
  channel: string;
  priceMinor: number;
  currency: string;
  /** When a hold lapses; null unless status is "held". */
  holdExpiresAt: Date | null;
}

/** Details of the `slot_taken` DomainError: the nearest free slots to offer instead. */
export interface SlotTakenDetails {
  alternatives: AvailableSlot[];
}

/** A change to a booking that others may react to in the same transaction (outbox rows, reminder plans). */
export interface BookingChange {
  type: "confirmed" | "rescheduled" | "cancelled" | "arrived" | "completed" | "no_show" | "reconfirmed";
  /** The booking row after the change. */
  booking: {
    id: string;
    tenantId: string;
    staffId: string;
    serviceId: string;
    clientId: string | null;
    status: BookingStatus;
    startsAt: Date;
    endsAt: Date;
    channel: string;
  };
  /** For a reschedule: where it was. */
  previousStartsAt?: Date;
  /** "client:<id>", "staff:<id>", "system". */
  actor: string;
}

/**
 * Called inside the booking's transaction after each change, with that transaction: whatever it
 * writes commits or rolls back with the change itself. Throwing aborts the change.
 */
export type BookingChangeHook = (tx: import("@prisma/client").Prisma.TransactionClient, change: BookingChange) => Promise<void>;
