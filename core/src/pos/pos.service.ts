import type { Prisma, PrismaClient } from "@prisma/client";
import type { BookingChangeHook } from "../booking/booking.types.js";
import type { Clock } from "../clock.js";
import { DomainError } from "../errors.js";
import { timeOrderedId } from "../inventory/ordered-id.js";
import { applyStockMovement } from "../inventory/stock.js";
import { parseInput } from "../validation.js";
import {
  type CheckoutDraft,
  type CheckoutInput,
  type CheckoutRequest,
  type Receipt,
  type RefundInput,
  type RefundResult,
  type SaleView,
  bookingRefSchema,
  checkoutSchema,
  refundSchema,
  saleListSchema,
  saleRefSchema,
  toSaleView,
} from "./pos.schemas.js";

const saleInclude = { lines: true, payments: true } as const;

/** Booking statuses that can be checked out; confirmed and arrived become completed. */
const CHECKOUT_STATUSES = ["confirmed", "arrived", "completed"] as const;

/**
 * The point of sale: checkout, refunds, receipts. A checkout is one transaction: the sale, its
 * lines and payments, the stock movement of every product sold (never below zero) and the
 * booking's completion all commit together or not at all. Money is integer minor units of the
 * salon's currency.
 */
export class PosService {
  /**
   * `onBookingChange`, when given, is called inside the checkout's transaction when a booking
   * becomes completed (like `BookingService`'s change hooks), so outbox rows commit with the sale.
   */
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly onBookingChange?: BookingChangeHook,
  ) {}

  /**
   * A suggested cart for a booking: the booked service at the booked price, the booking's client,
   * and `existingSaleId` when it has already been checked out. Throws `not_found`,
   * `booking_not_changeable` (held, expired, cancelled or no-show bookings).
   */
  async draftFromBooking(input: { tenantId: string; bookingId: string }): Promise<CheckoutDraft> {
    const req = parseInput(bookingRefSchema, input, "booking");
    const booking = await this.db.booking.findFirst({
      where: { tenantId: req.tenantId, id: req.bookingId },
      include: { service: { select: { name: true } }, client: { select: { id: true, name: true, phone: true } } },
    });
    if (!booking) throw new DomainError("not_found", "Booking was not found");
    assertCheckoutable(booking.status);
    const existing = await this.db.sale.findFirst({
      where: { tenantId: req.tenantId, bookingId: booking.id, status: { not: "refunded" } },
      select: { id: true },
    });
    return {
      bookingId: booking.id,
      bookingStatus: booking.status,
      client: booking.client,
      currency: booking.currency,
      lines: [{ kind: "service", serviceId: booking.serviceId, description: booking.service.name, quantity: 1, unitPriceMinor: booking.priceMinor }],
      subtotalMinor: booking.priceMinor,
      existingSaleId: existing?.id ?? null,
    };
  }

  /**
   * Sells services and products, in one transaction. Prices come from the catalog: a service's
   * price (the booked price for the booking's own service), unless the line gives
   * `unitPriceMinor`; a product's price. total = subtotal - discount + tip, and the payments'
   * amounts must add up to exactly the total; cash may be over-tendered (`tenderedMinor`), the
   * change due is returned. With a booking: its client is the sale's client unless `clientId` is
   * given, and a confirmed or arrived booking becomes completed (BookingEvent "completed").
   * Throws `invalid_input` (payments not adding up, discount above subtotal, wrong currency,
   * archived product), `insufficient_stock` (details { productId, available }), `conflict` (the
   * booking already has a sale that is not fully refunded; details.saleId), `booking_not_changeable`,
   * `not_found` (booking, client, service or product of another salon included).
   */
  async checkout(input: CheckoutInput): Promise<SaleView> {
    const req = parseInput(checkoutSchema, input, "checkout");
    const tenant = await this.db.tenant.findUnique({ where: { id: req.tenantId }, select: { currency: true } });
    if (!tenant) throw new DomainError("not_found", "Salon was not found");
    if (req.currency !== undefined && req.currency !== tenant.currency) {
      throw new DomainError("invalid_input", `The salon sells in ${tenant.currency}, not ${req.currency}`, {
        issues: [{ path: "currency", message: `must be ${tenant.currency}` }],
      });
    }
    const at = this.clock.now();
    const row = await this.db.$transaction(async (tx) => {
      const booking = req.bookingId ? await lockBooking(tx, req.tenantId, req.bookingId) : null;
      if (booking) {
        assertCheckoutable(booking.status);
        if (booking.currency !== tenant.currency) {
          throw new DomainError("invalid_input", `The booking is priced in ${booking.currency}, the salon sells in ${tenant.currency}`);
        }
        const open = await tx.sale.findFirst({ where: { tenantId: req.tenantId, bookingId: booking.id, status: { not: "refunded" } }, select: { id: true } });
        if (open) throw new DomainError("conflict", "This booking has already been checked out", { saleId: open.id });
      }
      const clientId = await resolveClient(tx, req.tenantId, req.clientId ?? booking?.clientId ?? null);
      const lines = await priceLines(tx, req.tenantId, req.lines, booking);
      const subtotalMinor = lines.reduce((sum, l) => sum + l.totalMinor, 0);
      if (req.discountMinor > subtotalMinor) {
        throw new DomainError("invalid_input", "The discount is larger than the subtotal", {
          issues: [{ path: "discountMinor", message: `must be at most ${subtotalMinor}` }],
        });
      }
      const totalMinor = subtotalMinor - req.discountMinor + req.tipMinor;
      const paidMinor = req.payments.reduce((sum, p) => sum + p.amountMinor, 0);
      if (paidMinor !== totalMinor) {
        throw new DomainError("invalid_input", `Payments add up to ${paidMinor}, the total is ${totalMinor}`, {
          totalMinor,
          paidMinor,
          issues: [{ path: "payments", message: `must add up to ${totalMinor}` }],
        });
      }

      const sale = await tx.sale.create({
        data: {
          id: timeOrderedId(at),
          tenantId: req.tenantId,
          bookingId: booking?.id ?? null,
          clientId,
          currency: tenant.currency,
          subtotalMinor,
          discountMinor: req.discountMinor,
          tipMinor: req.tipMinor,
          totalMinor,
          actor: req.actor,
          createdAt: at,
        },
      });
      await tx.saleLine.createMany({
        data: lines.map((l) => ({ ...l, id: timeOrderedId(at), tenantId: req.tenantId, saleId: sale.id })),
      });
      await tx.payment.createMany({
        data: req.payments.map((p) => ({
          id: timeOrderedId(at),
          tenantId: req.tenantId,
          saleId: sale.id,
          kind: "payment" as const,
          method: p.method,
          amountMinor: p.amountMinor,
          tenderedMinor: p.tenderedMinor ?? null,
          changeMinor: p.tenderedMinor === undefined ? 0 : p.tenderedMinor - p.amountMinor,
          createdAt: at,
        })),
      });
      // Products in id order, so two checkouts of the same products lock rows in the same order.
      const productLines = lines.filter((l) => l.productId !== null).sort((a, b) => (a.productId! < b.productId! ? -1 : 1));
      for (const l of productLines) {
        await applyStockMovement(tx, {
          tenantId: req.tenantId,
          productId: l.productId!,
          delta: -l.quantity,
          kind: "sale",
          actor: req.actor,
          saleId: sale.id,
          at,
        });
      }
      if (booking && (booking.status === "confirmed" || booking.status === "arrived")) {
        const completed = await tx.booking.update({ where: { id: booking.id }, data: { status: "completed" } });
        await tx.bookingEvent.create({
          data: {
            tenantId: req.tenantId,
            bookingId: booking.id,
            type: "completed",
            actor: req.actor,
            data: { from: booking.status, saleId: sale.id },
            createdAt: at,
          },
        });
        await this.onBookingChange?.(tx, { type: "completed", booking: completed, actor: req.actor });
      }
      return tx.sale.findUniqueOrThrow({ where: { id: sale.id }, include: saleInclude });
    });
    return toSaleView(row);
  }

  /**
   * Refunds a whole sale (no `lines`: every quantity not yet refunded, and all money not yet paid
   * back, tip included) or some lines (quantity * unit price each; the sale's discount is not
   * pro-rated and the tip is not refunded, but the amount never exceeds what is left to pay
   * back). Product lines go back into stock ("refund" movements); the refund is a Payment of kind
   * "refund" with `method`. The sale becomes `refunded` once every line and all money are
   * returned, otherwise `partially_refunded`. One transaction; the sale row is locked, so two
   * refunds cannot both return the same item. Throws `invalid_input` (more than was sold, a line
   * of another sale), `conflict` (already fully refunded), `not_found`.
   */
  async refund(input: RefundInput): Promise<RefundResult> {
    const req = parseInput(refundSchema, input, "refund");
    const at = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Sale" WHERE "tenantId" = ${req.tenantId}::uuid AND id = ${req.saleId}::uuid FOR UPDATE`;
      if (!locked[0]) throw new DomainError("not_found", "Sale was not found");
      const sale = await tx.sale.findUniqueOrThrow({ where: { id: req.saleId }, include: saleInclude });
      if (sale.status === "refunded") throw new DomainError("conflict", "This sale has already been refunded in full", { saleId: sale.id });

      const moneyLeft = sale.totalMinor - sale.refundedMinor;
      const take = new Map<string, number>();
      if (req.lines) {
        for (const l of req.lines) take.set(l.saleLineId, (take.get(l.saleLineId) ?? 0) + l.quantity);
        for (const [lineId, quantity] of take) {
          const line = sale.lines.find((l) => l.id === lineId);
          if (!line) throw new DomainError("invalid_input", "That line is not part of this sale", { issues: [{ path: "lines", message: `unknown line ${lineId}` }] });
          const refundable = line.quantity - line.refundedQuantity;
          if (quantity > refundable) {
            throw new DomainError("invalid_input", `Only ${refundable} of "${line.description}" can still be refunded`, {
              saleLineId: line.id,
              refundable,
              issues: [{ path: "lines", message: `at most ${refundable} of ${line.description}` }],
            });
          }
        }
      } else {
        for (const l of sale.lines) if (l.quantity > l.refundedQuantity) take.set(l.id, l.quantity - l.refundedQuantity);
      }
      const linesValue = sale.lines.reduce((sum, l) => sum + (take.get(l.id) ?? 0) * l.unitPriceMinor, 0);
      const amountMinor = req.lines ? Math.min(linesValue, moneyLeft) : moneyLeft;

      const reason = req.reason ?? `Refund of sale ${sale.id}`;
      for (const line of [...sale.lines].sort((a, b) => ((a.productId ?? "") < (b.productId ?? "") ? -1 : 1))) {
        const quantity = take.get(line.id);
        if (!quantity) continue;
        await tx.saleLine.update({ where: { id: line.id }, data: { refundedQuantity: { increment: quantity } } });
        if (line.productId) {
          await applyStockMovement(tx, { tenantId: req.tenantId, productId: line.productId, delta: quantity, kind: "refund", reason, actor: req.actor, saleId: sale.id, at });
        }
      }
      if (amountMinor > 0) {
        await tx.payment.create({
          data: { id: timeOrderedId(at), tenantId: req.tenantId, saleId: sale.id, kind: "refund", method: req.method, amountMinor, createdAt: at },
        });
      }
      const allLinesBack = sale.lines.every((l) => l.refundedQuantity + (take.get(l.id) ?? 0) === l.quantity);
      const refundedMinor = sale.refundedMinor + amountMinor;
      const updated = await tx.sale.update({
        where: { id: sale.id },
        data: { refundedMinor, status: allLinesBack && refundedMinor === sale.totalMinor ? "refunded" : "partially_refunded" },
        include: saleInclude,
      });
      return { sale: toSaleView(updated), amountMinor };
    });
  }

  /** One sale with its lines and payments. Throws `not_found`. */
  async getSale(input: { tenantId: string; saleId: string }): Promise<SaleView> {
    const parsed = saleRefSchema.safeParse(input);
    const sale = parsed.success
      ? await this.db.sale.findFirst({ where: { tenantId: parsed.data.tenantId, id: parsed.data.saleId }, include: saleInclude })
      : null;
    if (!sale) throw new DomainError("not_found", "Sale was not found");
    return toSaleView(sale);
  }

  /** Sales of the salon, newest first, optionally in [from, until) and of one client. */
  async listSales(input: { tenantId: string; from?: Date; until?: Date; clientId?: string; limit?: number }): Promise<SaleView[]> {
    const req = parseInput(saleListSchema, input, "sale list");
    const rows = await this.db.sale.findMany({
      where: {
        tenantId: req.tenantId,
        ...(req.clientId && { clientId: req.clientId }),
        ...((req.from || req.until) && { createdAt: { ...(req.from && { gte: req.from }), ...(req.until && { lt: req.until }) } }),
      },
      include: saleInclude,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: req.limit,
    });
    return rows.map(toSaleView);
  }

  /** What a receipt shows: the salon, the sale, its client and booking, totals paid and refunded. Throws `not_found`. */
  async getReceipt(input: { tenantId: string; saleId: string }): Promise<Receipt> {
    const sale = await this.getSale(input);
    const [tenant, client, booking] = await Promise.all([
      this.db.tenant.findUniqueOrThrow({ where: { id: sale.tenantId }, select: { name: true, timeZone: true, locale: true, currency: true } }),
      sale.clientId ? this.db.client.findFirst({ where: { tenantId: sale.tenantId, id: sale.clientId }, select: { id: true, name: true } }) : null,
      sale.bookingId
        ? this.db.booking.findFirst({
            where: { tenantId: sale.tenantId, id: sale.bookingId },
            select: { id: true, startsAt: true, service: { select: { name: true } }, staff: { select: { name: true } } },
          })
        : null,
    ]);
    const paidMinor = sale.payments.filter((p) => p.kind === "payment").reduce((s, p) => s + p.amountMinor, 0);
    const refundedMinor = sale.payments.filter((p) => p.kind === "refund").reduce((s, p) => s + p.amountMinor, 0);
    return {
      salon: tenant,
      sale,
      client,
      booking: booking ? { id: booking.id, startsAt: booking.startsAt, serviceName: booking.service.name, staffName: booking.staff.name } : null,
      paidMinor,
      refundedMinor,
      netMinor: paidMinor - refundedMinor,
    };
  }
}

interface LockedBooking {
  id: string;
  status: string;
  clientId: string | null;
  serviceId: string;
  priceMinor: number;
  currency: string;
}

/** Locks the booking row for the transaction, so two checkouts of one booking run one after the other. */
async function lockBooking(tx: Prisma.TransactionClient, tenantId: string, bookingId: string): Promise<LockedBooking> {
  const rows = await tx.$queryRaw<LockedBooking[]>`
    SELECT id, status::text AS status, "clientId", "serviceId", "priceMinor", currency
    FROM "Booking" WHERE "tenantId" = ${tenantId}::uuid AND id = ${bookingId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new DomainError("not_found", "Booking was not found");
  return row;
}

function assertCheckoutable(status: string): void {
  if (!(CHECKOUT_STATUSES as readonly string[]).includes(status)) {
    throw new DomainError("booking_not_changeable", `A ${status.replace("_", "-")} booking cannot be checked out`, { status });
  }
}

/** The client to put on the sale: must be of the salon; a merged client resolves to the one it was merged into. */
async function resolveClient(tx: Prisma.TransactionClient, tenantId: string, clientId: string | null): Promise<string | null> {
  let id = clientId;
  for (let hops = 0; id !== null && hops < 5; hops++) {
    const client = await tx.client.findFirst({ where: { tenantId, id }, select: { id: true, mergedIntoId: true } });
    if (!client) throw new DomainError("not_found", "Client was not found");
    if (!client.mergedIntoId) return client.id;
    id = client.mergedIntoId;
  }
  return id;
}

interface PricedLine {
  kind: "service" | "product";
  serviceId: string | null;
  productId: string | null;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  totalMinor: number;
}

/** Looks up names and catalog prices for the requested lines. */
async function priceLines(
  tx: Prisma.TransactionClient,
  tenantId: string,
  lines: CheckoutRequest["lines"],
  booking: LockedBooking | null,
): Promise<PricedLine[]> {
  const serviceIds = [...new Set(lines.flatMap((l) => (l.kind === "service" ? [l.serviceId] : [])))];
  const productIds = [...new Set(lines.flatMap((l) => (l.kind === "product" ? [l.productId] : [])))];
  // One after the other: a transaction is one connection.
  const services = serviceIds.length ? await tx.service.findMany({ where: { tenantId, id: { in: serviceIds } } }) : [];
  const products = productIds.length ? await tx.product.findMany({ where: { tenantId, id: { in: productIds } } }) : [];
  let bookedPriceUsed = false;
  return lines.map((l, i) => {
    if (l.kind === "service") {
      const service = services.find((s) => s.id === l.serviceId);
      if (!service) throw new DomainError("not_found", "Service was not found", { serviceId: l.serviceId });
      const isBooked = booking !== null && service.id === booking.serviceId && !bookedPriceUsed;
      if (!service.active && !isBooked) {
        throw new DomainError("invalid_input", `"${service.name}" is no longer offered`, { issues: [{ path: `lines.${i}.serviceId`, message: "inactive service" }] });
      }
      let unitPriceMinor = l.unitPriceMinor ?? service.priceMinor;
      if (isBooked && l.unitPriceMinor === undefined) unitPriceMinor = booking.priceMinor;
      if (isBooked) bookedPriceUsed = true;
      return {
        kind: "service",
        serviceId: service.id,
        productId: null,
        description: service.name,
        quantity: l.quantity,
        unitPriceMinor,
        totalMinor: l.quantity * unitPriceMinor,
      };
    }
    const product = products.find((p) => p.id === l.productId);
    if (!product) throw new DomainError("not_found", "Product was not found", { productId: l.productId });
    if (!product.active) {
      throw new DomainError("invalid_input", `"${product.name}" is archived`, { issues: [{ path: `lines.${i}.productId`, message: "archived product" }] });
    }
    return {
      kind: "product",
      serviceId: null,
      productId: product.id,
      description: product.name,
      quantity: l.quantity,
      unitPriceMinor: product.priceMinor,
      totalMinor: l.quantity * product.priceMinor,
    };
  });
}
