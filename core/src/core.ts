import type { PrismaClient } from "@prisma/client";
import { AuthService } from "./auth/auth.service.js";
import { AvailabilityService } from "./availability/availability.service.js";
import { BookingService } from "./booking/booking.service.js";
import { CatalogAdminService } from "./catalog/catalog-admin.service.js";
import { CatalogService } from "./catalog/catalog.service.js";
import { ClientService } from "./clients/client.service.js";
import { CrmService } from "./clients/crm.service.js";
import { type Clock, systemClock } from "./clock.js";
import { InventoryService } from "./inventory/inventory.service.js";
import { NotificationService } from "./notifications/notifications.service.js";
import { OwnerService } from "./owner/owner.service.js";
import { PosService } from "./pos/pos.service.js";
import { ReportsService } from "./reports/daily-close.js";

/** The domain services callers need, wired to one database and one clock. */
export interface Core {
  catalog: CatalogService;
  /** Salon setup for owners: details, rules, services, staff, hours. */
  catalogAdmin: CatalogAdminService;
  availability: AvailabilityService;
  bookings: BookingService;
  clients: ClientService;
  /** Staff admin sign-in: accounts, links, passwords, sessions, rate limits. */
  auth: AuthService;
  /** Products, stock movements, low stock, spreadsheet import/export. */
  inventory: InventoryService;
  /** Point of sale: checkout, refunds, receipts. */
  pos: PosService;
  /** Clients for staff: search, profile, edit, merge. */
  crm: CrmService;
  /** Reports: daily close. */
  reports: ReportsService;
  /** The outbox and the reminder sequence (issue 5); its hook writes messages in each booking change's transaction. */
  notifications: NotificationService;
  /** The owner's Telegram: pairing codes, linked chats, the day agenda, daily summaries. */
  owner: OwnerService;
  clock: Clock;
  prisma: PrismaClient;
}

/** Wires the services on `prisma`; `clock` defaults to the system clock (tests pass a FixedClock). */
export function createCore(prisma: PrismaClient, clock: Clock = systemClock): Core {
  const availability = new AvailabilityService(prisma, clock);
  const bookings = new BookingService(prisma, clock, availability);
  const notifications = new NotificationService(prisma, clock, bookings);
  bookings.onChange(notifications.onBookingChange);
  const reports = new ReportsService(prisma);
  return {
    catalog: new CatalogService(prisma),
    catalogAdmin: new CatalogAdminService(prisma),
    availability,
    bookings,
    clients: new ClientService(prisma),
    auth: new AuthService(prisma, clock),
    inventory: new InventoryService(prisma, clock),
    // A checkout completes its booking in its own transaction: the booking hooks run there too.
    pos: new PosService(prisma, clock, (tx, change) => bookings.emitChange(tx, change)),
    crm: new CrmService(prisma, clock),
    reports,
    notifications,
    owner: new OwnerService(prisma, clock, { bookings, availability, reports }),
    clock,
    prisma,
  };
}
