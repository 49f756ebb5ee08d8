import type { PaymentKind, PaymentMethod, PrismaClient } from "@prisma/client";
import { DateTime } from "luxon";
import { z } from "zod";
import { DomainError } from "../errors.js";
import { parseInput } from "../validation.js";

/** Money taken and given back with one payment method, minor units. */
export interface MethodTotals {
  /** Sum of payments (cash change not included: what stays in the till). */
  paymentsMinor: number;
  /** Sum of refunds paid out. */
  refundsMinor: number;
  /** payments - refunds. */
  netMinor: number;
  /** Number of payments and refunds. */
  count: number;
}

/**
 * The figures of one local day of a salon. Payments and refunds count on the day they were made
 * (a refund today of yesterday's sale lowers today's net); sales, tips and discounts count on
 * the day of the sale. Money in minor units of `currency`.
 */
export interface DailyClose {
  /** The local date, "YYYY-MM-DD". */
  date: string;
  timeZone: string;
  currency: string;
  /** The day as UTC instants: [from, until). 23 or 25 hours long on DST change days. */
  from: Date;
  until: Date;
  byMethod: Record<PaymentMethod, MethodTotals>;
  paymentsMinor: number;
  refundsMinor: number;
  netMinor: number;
  /** Sales made that day (refunded ones included). */
  salesCount: number;
  /** Sum of the subtotals of those sales, before discounts. */
  grossMinor: number;
  discountsMinor: number;
  tipsMinor: number;
}

const METHODS: PaymentMethod[] = ["cash", "card", "other"];

/** Adds up payments and sales of one day (pure). */
export function summarizeDay(
  payments: { kind: PaymentKind; method: PaymentMethod; amountMinor: number }[],
  sales: { subtotalMinor: number; discountMinor: number; tipMinor: number }[],
): Pick<DailyClose, "byMethod" | "paymentsMinor" | "refundsMinor" | "netMinor" | "salesCount" | "grossMinor" | "discountsMinor" | "tipsMinor"> {
  const byMethod = Object.fromEntries(METHODS.map((m) => [m, { paymentsMinor: 0, refundsMinor: 0, netMinor: 0, count: 0 }])) as Record<
    PaymentMethod,
    MethodTotals
  >;
  for (const p of payments) {
    const t = byMethod[p.method];
    if (p.kind === "payment") t.paymentsMinor += p.amountMinor;
    else t.refundsMinor += p.amountMinor;
    t.netMinor = t.paymentsMinor - t.refundsMinor;
    t.count++;
  }
  const sum = (f: (t: MethodTotals) => number) => METHODS.reduce((s, m) => s + f(byMethod[m]), 0);
  return {
    byMethod,
    paymentsMinor: sum((t) => t.paymentsMinor),
    refundsMinor: sum((t) => t.refundsMinor),
    netMinor: sum((t) => t.netMinor),
    salesCount: sales.length,
    grossMinor: sales.reduce((s, x) => s + x.subtotalMinor, 0),
    discountsMinor: sales.reduce((s, x) => s + x.discountMinor, 0),
    tipsMinor: sales.reduce((s, x) => s + x.tipMinor, 0),
  };
}

const dailyCloseSchema = z.object({ tenantId: z.uuid(), date: z.iso.date() });

/** Reports over sales and payments. */
export class ReportsService {
  constructor(private readonly db: PrismaClient) {}

  /**
   * The daily close for a local date in the salon's time zone: totals by payment method
   * (payments minus refunds), number of sales, gross, discounts and tips. A sale at 23:30 local
   * belongs to that local day whatever its UTC date. Throws `invalid_input` (not a YYYY-MM-DD
   * date), `not_found` (salon).
   */
  async dailyClose(input: { tenantId: string; date: string }): Promise<DailyClose> {
    const req = parseInput(dailyCloseSchema, input, "daily close");
    const tenant = await this.db.tenant.findUnique({ where: { id: req.tenantId }, select: { timeZone: true, currency: true } });
    if (!tenant) throw new DomainError("not_found", "Salon was not found");
    const start = DateTime.fromISO(req.date, { zone: tenant.timeZone }).startOf("day");
    if (!start.isValid) throw new DomainError("invalid_input", `"${req.date}" is not a date`, { issues: [{ path: "date", message: "invalid date" }] });
    const from = start.toJSDate();
    const until = start.plus({ days: 1 }).toJSDate();
    const [payments, sales] = await Promise.all([
      this.db.payment.findMany({
        where: { tenantId: req.tenantId, createdAt: { gte: from, lt: until } },
        select: { kind: true, method: true, amountMinor: true },
      }),
      this.db.sale.findMany({
        where: { tenantId: req.tenantId, createdAt: { gte: from, lt: until } },
        select: { subtotalMinor: true, discountMinor: true, tipMinor: true },
      }),
    ]);
    return { date: req.date, timeZone: tenant.timeZone, currency: tenant.currency, from, until, ...summarizeDay(payments, sales) };
  }
}
