import type { Payment, PaymentKind, PaymentMethod, Sale, SaleLine, SaleLineKind, SaleStatus } from "@prisma/client";
import { z } from "zod";
import { actorSchema } from "../inventory/product.schemas.js";

const minor = z.number().int().min(0).max(1_000_000_000);

/** A line of a checkout: a service (price from the catalog unless `unitPriceMinor` overrides it) or a product (catalog price). */
export const checkoutLineSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("service"),
    serviceId: z.uuid(),
    quantity: z.number().int().min(1).max(100).default(1),
    unitPriceMinor: minor.optional(),
  }),
  z.object({ kind: z.literal("product"), productId: z.uuid(), quantity: z.number().int().min(1).max(10_000).default(1) }),
]);

/** A payment of a checkout. `tenderedMinor` (cash only) is what the client handed over; the change is tendered - amount. */
export const checkoutPaymentSchema = z
  .object({
    method: z.enum(["cash", "card", "other"]),
    amountMinor: z.number().int().min(1).max(1_000_000_000),
    tenderedMinor: z.number().int().min(1).max(1_000_000_000).optional(),
  })
  .refine((p) => p.tenderedMinor === undefined || p.method === "cash", { message: "only cash is tendered", path: ["tenderedMinor"] })
  .refine((p) => p.tenderedMinor === undefined || p.tenderedMinor >= p.amountMinor, {
    message: "must be at least the amount",
    path: ["tenderedMinor"],
  });

export const checkoutSchema = z.object({
  tenantId: z.uuid(),
  bookingId: z.uuid().optional(),
  clientId: z.uuid().optional(),
  lines: z.array(checkoutLineSchema).min(1).max(100),
  discountMinor: minor.default(0),
  tipMinor: minor.default(0),
  payments: z.array(checkoutPaymentSchema).max(10),
  /** When given, must be the salon's currency (a stale form from before a currency change is refused). */
  currency: z.string().length(3).optional(),
  actor: actorSchema,
});

export const refundSchema = z.object({
  tenantId: z.uuid(),
  saleId: z.uuid(),
  /** Omitted: everything not yet refunded, tip included. */
  lines: z
    .array(z.object({ saleLineId: z.uuid(), quantity: z.number().int().min(1).max(10_000) }))
    .min(1)
    .max(100)
    .optional(),
  method: z.enum(["cash", "card", "other"]),
  reason: z.string().trim().max(500).optional(),
  actor: actorSchema,
});

export const saleRefSchema = z.object({ tenantId: z.uuid(), saleId: z.uuid() });
export const bookingRefSchema = z.object({ tenantId: z.uuid(), bookingId: z.uuid() });
export const saleListSchema = z.object({
  tenantId: z.uuid(),
  from: z.date().optional(),
  until: z.date().optional(),
  clientId: z.uuid().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

/** Input of `PosService.checkout` (before defaults). */
export type CheckoutInput = z.input<typeof checkoutSchema>;
/** A checkout after parsing (defaults applied). */
export type CheckoutRequest = z.output<typeof checkoutSchema>;
/** Input of `PosService.refund`. */
export type RefundInput = z.input<typeof refundSchema>;

/** One line of a sale. Money in minor units of the sale's currency. */
export interface SaleLineView {
  id: string;
  kind: SaleLineKind;
  serviceId: string | null;
  productId: string | null;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  /** quantity * unitPriceMinor. */
  totalMinor: number;
  refundedQuantity: number;
}

/** Money in (`payment`) or back out (`refund`); amounts are positive either way. */
export interface PaymentView {
  id: string;
  kind: PaymentKind;
  method: PaymentMethod;
  amountMinor: number;
  /** Cash handed over, when recorded. */
  tenderedMinor: number | null;
  /** Cash given back: tendered - amount. */
  changeMinor: number;
  createdAt: Date;
}

/** A sale with its lines and payments. total = subtotal - discount + tip. */
export interface SaleView {
  id: string;
  tenantId: string;
  bookingId: string | null;
  clientId: string | null;
  status: SaleStatus;
  currency: string;
  subtotalMinor: number;
  discountMinor: number;
  tipMinor: number;
  totalMinor: number;
  refundedMinor: number;
  /** Cash change due to the client (sum over cash payments). */
  changeDueMinor: number;
  /** "staff:<accountId>". */
  actor: string;
  createdAt: Date;
  lines: SaleLineView[];
  /** Payments and refunds, oldest first. */
  payments: PaymentView[];
}

/** A suggested cart for a booking: its service at the booked price, and its client. */
export interface CheckoutDraft {
  bookingId: string;
  bookingStatus: string;
  client: { id: string; name: string; phone: string | null } | null;
  currency: string;
  lines: { kind: "service"; serviceId: string; description: string; quantity: number; unitPriceMinor: number }[];
  subtotalMinor: number;
  /** A sale for this booking that is not fully refunded: show its receipt instead of checking out again. */
  existingSaleId: string | null;
}

/** The result of a refund: the sale after it and the amount paid back now (minor units). */
export interface RefundResult {
  sale: SaleView;
  amountMinor: number;
}

/** Everything a receipt shows. Instants are UTC; the UI shows them in `salon.timeZone`. */
export interface Receipt {
  salon: { name: string; timeZone: string; locale: string; currency: string };
  sale: SaleView;
  client: { id: string; name: string } | null;
  booking: { id: string; startsAt: Date; serviceName: string; staffName: string } | null;
  /** Sum of payments (not counting cash change). */
  paidMinor: number;
  /** Sum of refunds. */
  refundedMinor: number;
  /** What the salon keeps: paid - refunded. */
  netMinor: number;
}

/** Maps a sale row with lines and payments to its view. */
export function toSaleView(s: Sale & { lines: SaleLine[]; payments: Payment[] }): SaleView {
  // Ids are written time-ordered (see `timeOrderedId`), so (createdAt, id) is the order of entry.
  const byEntry = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const kindRank = (k: PaymentKind) => (k === "payment" ? 0 : 1);
  const payments = [...s.payments].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || kindRank(a.kind) - kindRank(b.kind) || byEntry(a, b),
  );
  const lines = [...s.lines].sort(byEntry);
  return {
    id: s.id,
    tenantId: s.tenantId,
    bookingId: s.bookingId,
    clientId: s.clientId,
    status: s.status,
    currency: s.currency,
    subtotalMinor: s.subtotalMinor,
    discountMinor: s.discountMinor,
    tipMinor: s.tipMinor,
    totalMinor: s.totalMinor,
    refundedMinor: s.refundedMinor,
    changeDueMinor: payments.filter((p) => p.kind === "payment").reduce((sum, p) => sum + p.changeMinor, 0),
    actor: s.actor,
    createdAt: s.createdAt,
    lines: lines.map((l) => ({
      id: l.id,
      kind: l.kind,
      serviceId: l.serviceId,
      productId: l.productId,
      description: l.description,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      totalMinor: l.totalMinor,
      refundedQuantity: l.refundedQuantity,
    })),
    payments: payments.map((p) => ({
      id: p.id,
      kind: p.kind,
      method: p.method,
      amountMinor: p.amountMinor,
      tenderedMinor: p.tenderedMinor,
      changeMinor: p.changeMinor,
      createdAt: p.createdAt,
    })),
  };
}

