import type { PrismaClient } from "@prisma/client";
import { AvailabilityService } from "./availability/availability.service.js";
import { BookingService } from "./booking/booking.service.js";
import { CatalogAdminService } from "./catalog/catalog-admin.service.js";
import { CatalogService } from "./catalog/catalog.service.js";
import { ClientService } from "./clients/client.service.js";
import { type Clock, systemClock } from "./clock.js";

/** The domain services callers need, wired to one database and one clock. */
export interface Core {
  catalog: CatalogService;
  /** Salon setup for owners: details, rules, services, staff, hours. */
  catalogAdmin: CatalogAdminService;
  availability: AvailabilityService;
  bookings: BookingService;
  clients: ClientService;
  clock: Clock;
  prisma: PrismaClient;
}

/** Wires the services on `prisma`; `clock` defaults to the system clock (tests pass a FixedClock). */
export function createCore(prisma: PrismaClient, clock: Clock = systemClock): Core {
  const availability = new AvailabilityService(prisma, clock);
  return {
    catalog: new CatalogService(prisma),
    catalogAdmin: new CatalogAdminService(prisma),
    availability,
    bookings: new BookingService(prisma, clock, availability),
    clients: new ClientService(prisma),
    clock,
    prisma,
  };
}
