/**
 * Due reminders in bulk, for the delivery tests and the benchmark: salons with one staff member,
 * clients reachable on the fake channel, a confirmed booking each, and each booking's 1 h reminder
 * (with the data the renderer needs). Generated inside PostgreSQL (generate_series) in one
 * transaction, so seeding 10,000 costs the test process next to no memory or time.
 */
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@chairside/core";
import { FAKE_CHANNEL } from "./fake-provider.js";

/** What was seeded. */
export interface SeededReminders {
  tenantIds: string[];
  /** Every outbox row id. */
  outboxIds: string[];
}

const ISO = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

/**
 * Creates `salons` salons with `perSalon` reminders each, due at `dueAt` (default: now − 30 s); the
 * appointments start from now + 1 h, an hour apart. Does not wake the workers (see wakeWorkers).
 */
export async function seedDueReminders(
  prisma: PrismaClient,
  options: { salons: number; perSalon: number; now: Date; dueAt?: Date },
): Promise<SeededReminders> {
  const { now, salons, perSalon } = options;
  const due = options.dueAt ?? new Date(now.getTime() - 30_000);
  const run = randomUUID().slice(0, 8);
  const prefix = `bench-${run}-`;
  const like = `${prefix}%`;
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "Tenant" (id, slug, name, "timeZone", currency, locale)
        SELECT gen_random_uuid(), ${prefix} || s, 'Salon ' || (s + 1), 'Europe/Copenhagen', 'DKK', CASE WHEN s % 2 = 1 THEN 'da-DK' ELSE 'en' END
        FROM generate_series(0, ${salons - 1}::int) AS s`;
      await tx.$executeRaw`INSERT INTO "Staff" (id, "tenantId", name) SELECT gen_random_uuid(), id, 'Staff' FROM "Tenant" WHERE slug LIKE ${like}`;
      await tx.$executeRaw`
        INSERT INTO "Service" (id, "tenantId", name, "durationMinutes", "priceMinor")
        SELECT gen_random_uuid(), id, 'Cut', 30, 30000 FROM "Tenant" WHERE slug LIKE ${like}`;
      await tx.$executeRaw`
        CREATE TEMP TABLE bench_seed ON COMMIT DROP AS
        SELECT t.id AS tenant_id, t.name AS salon, t.locale, st.id AS staff_id, sv.id AS service_id, i,
          gen_random_uuid() AS client_id, gen_random_uuid() AS booking_id, gen_random_uuid() AS outbox_id,
          ${now}::timestamptz + make_interval(mins => 60 + i * 60) AS starts_at
        FROM "Tenant" t
        JOIN "Staff" st ON st."tenantId" = t.id
        JOIN "Service" sv ON sv."tenantId" = t.id
        CROSS JOIN generate_series(0, ${perSalon - 1}::int) AS i
        WHERE t.slug LIKE ${like}`;
      await tx.$executeRaw`
        INSERT INTO "Client" (id, "tenantId", name, "marketingConsent")
        SELECT client_id, tenant_id, 'Client ' || (i + 1), true FROM bench_seed`;
      await tx.$executeRaw`
        INSERT INTO "ClientIdentity" (id, "tenantId", "clientId", channel, "externalId")
        SELECT gen_random_uuid(), tenant_id, client_id, ${FAKE_CHANNEL}, ${run} || '-' || client_id FROM bench_seed`;
      await tx.$executeRaw`
        INSERT INTO "Booking" (id, "tenantId", "staffId", "serviceId", "clientId", status, "startsAt", "endsAt", "blockedFrom", "blockedUntil",
          "priceMinor", currency, channel, "updatedAt")
        SELECT booking_id, tenant_id, staff_id, service_id, client_id, 'confirmed'::"BookingStatus", starts_at, starts_at + interval '30 minutes',
          starts_at, starts_at + interval '30 minutes', 30000, 'DKK', ${FAKE_CHANNEL}, ${now}::timestamptz
        FROM bench_seed`;
      await tx.$executeRaw`
        INSERT INTO "OutboxMessage" (id, "tenantId", kind, category, "clientId", "bookingId", data, "idempotencyKey", "notBefore", "nextAttemptAt",
          "createdAt", "updatedAt")
        SELECT outbox_id, tenant_id, 'reminder_1h', 'utility'::"OutboxCategory", client_id, booking_id,
          jsonb_build_object(
            'salonName', salon, 'zone', 'Europe/Copenhagen', 'salonLocale', locale, 'clientLocale', NULL, 'clientName', 'Client ' || (i + 1),
            'bookingId', booking_id, 'serviceName', 'Cut', 'staffName', 'Staff',
            'startsAt', to_char(starts_at AT TIME ZONE 'UTC', ${ISO}),
            'endsAt', to_char((starts_at + interval '30 minutes') AT TIME ZONE 'UTC', ${ISO}),
            'actions', jsonb_build_array('confirm', 'reschedule', 'cancel')),
          'reminder_1h:' || booking_id || ':' || to_char(starts_at AT TIME ZONE 'UTC', ${ISO}),
          ${due}::timestamptz, ${due}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
        FROM bench_seed`;
      const tenants = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM "Tenant" WHERE slug LIKE ${like} ORDER BY slug`;
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT outbox_id::text AS id FROM bench_seed`;
      return { tenantIds: tenants.map((t) => t.id), outboxIds: rows.map((r) => r.id) };
    },
    { timeout: 120_000 },
  );
}

/** Makes every pending reminder due at `now` (one statement): "all due in the same minute". Returns how many. */
export async function makeAllDue(prisma: PrismaClient, now: Date): Promise<number> {
  return (await prisma.outboxMessage.updateMany({ where: { status: "pending" }, data: { notBefore: now, nextAttemptAt: now } })).count;
}

/** Wakes every worker's delivery loop (what a committed booking change does). */
export async function wakeWorkers(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRaw`SELECT pg_notify('chairside_outbox', '')`;
}
