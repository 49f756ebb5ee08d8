import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "@prisma/client";
import { DomainError } from "../errors.js";
import { TimeoutError, withTimeout } from "../timeout.js";

export { Prisma, PrismaClient };

/** A Prisma client or the transaction client handed to `$transaction(async tx => ...)`. */
export type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Creates a Prisma client on `databaseUrl` through the pg driver adapter (no native engine).
 * `poolSize` caps connections; the caller must `$disconnect()` it. Interactive transactions may
 * wait up to 10 s for a pooled connection (Prisma's default is 2 s, which turns a burst of
 * bookings into spurious failures) and run up to 15 s.
 */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 15_000 } });
}

/**
 * `prisma.$disconnect()`, given up after `timeoutMs`: resolves true once the connections closed,
 * false when they did not in time (the caller goes on, e.g. exits; PostgreSQL ends the sessions).
 * Needed because with the pg driver adapter (Prisma 6.19) `$disconnect` can stay pending forever
 * when it is called while an interactive transaction is starting. Rejects when `$disconnect` does.
 */
export async function disconnectWithin(prisma: Pick<PrismaClient, "$disconnect">, timeoutMs: number): Promise<boolean> {
  try {
    await withTimeout(prisma.$disconnect(), timeoutMs);
    return true;
  } catch (e) {
    if (e instanceof TimeoutError) return false;
    throw e;
  }
}

/**
 * The SQLSTATE of a PostgreSQL error as Prisma 6 (queryCompiler + driver adapter) surfaces it:
 * model queries throw a DriverAdapterError with `cause.originalCode`; raw queries throw P2010 with
 * `meta.driverAdapterError.cause.originalCode`. Undefined when `e` is not a database error.
 */
export function sqlStateOf(e: unknown): string | undefined {
  const any = e as {
    code?: unknown;
    cause?: { originalCode?: unknown };
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } }; code?: unknown };
  };
  const candidates = [any?.cause?.originalCode, any?.meta?.driverAdapterError?.cause?.originalCode, any?.meta?.code];
  for (const c of candidates) if (typeof c === "string" && /^[0-9A-Z]{5}$/.test(c)) return c;
  if (typeof any?.code === "string" && /^[0-9A-Z]{5}$/.test(any.code) && !any.code.startsWith("P")) return any.code;
  return undefined;
}

/** SQLSTATE 23P01: an exclusion constraint refused the row (the slot overlaps another booking). */
export const EXCLUSION_VIOLATION = "23P01";
/** SQLSTATE 23505: a unique constraint refused the row. */
export const UNIQUE_VIOLATION = "23505";

/** True when `e` is the exclusion constraint refusing an overlapping booking. */
export function isOverlapError(e: unknown): boolean {
  return sqlStateOf(e) === EXCLUSION_VIOLATION;
}

/** True when `e` is a unique constraint violation. */
export function isUniqueViolation(e: unknown): boolean {
  return sqlStateOf(e) === UNIQUE_VIOLATION || (e as { code?: string })?.code === "P2002";
}

/** Throws `not_found` naming the thing when `value` is null or undefined. */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new DomainError("not_found", `${what} was not found`);
  return value;
}
