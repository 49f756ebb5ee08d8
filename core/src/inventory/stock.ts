import type { LowStockEvent, Prisma, Product, StockMovement, StockMovementKind } from "@prisma/client";
import { DomainError } from "../errors.js";
import { writeLowStockAlerts } from "../owner/alerts.js";
import { timeOrderedId } from "./ordered-id.js";

/** Details of the `insufficient_stock` DomainError. */
export interface InsufficientStockDetails {
  productId: string;
  /** Stock on hand when the change was refused. */
  available: number;
  /** How many units the change wanted to take. */
  requested: number;
}

/** One stock change to apply inside a transaction. `delta` is signed and not 0. */
export interface MovementInput {
  tenantId: string;
  productId: string;
  delta: number;
  kind: StockMovementKind;
  reason?: string | null;
  actor: string;
  saleId?: string | null;
  /** A key that makes a request recorded once (unique per salon, StockMovement.requestKey); null for most. */
  requestKey?: string | null;
  /** When it happened (the service's clock). */
  at: Date;
}

/** What `applyStockMovement` wrote. */
export interface AppliedMovement {
  product: Product;
  movement: StockMovement;
  /** Set when this change took the product from at/above its threshold to below it. */
  lowStockEvent: LowStockEvent | null;
}

/**
 * Changes a product's stock by `delta` and writes the StockMovement (and a LowStockEvent when the
 * change crosses the threshold downwards, plus an owner alert in the outbox for each linked owner
 * or manager chat) with `tx`, which must be a transaction so they stay together. The update is
 * a single `UPDATE ... SET stockOnHand = stockOnHand + delta ...
 * RETURNING`, so concurrent changes never lose one another; a decrease carries the condition
 * `stockOnHand >= -delta` in the same statement, so stock never goes below zero whatever runs
 * concurrently. Throws `insufficient_stock` (details: InsufficientStockDetails) or `not_found`.
 */
export async function applyStockMovement(tx: Prisma.TransactionClient, m: MovementInput): Promise<AppliedMovement> {
  if (!Number.isInteger(m.delta) || m.delta === 0) throw new Error(`Stock movement delta must be a non-zero integer, got ${m.delta}`);
  const where: Prisma.ProductWhereInput = { tenantId: m.tenantId, id: m.productId };
  if (m.delta < 0) where.stockOnHand = { gte: -m.delta };
  const [product] = await tx.product.updateManyAndReturn({ where, data: { stockOnHand: { increment: m.delta } } });
  if (!product) {
    const current = await tx.product.findFirst({ where: { tenantId: m.tenantId, id: m.productId }, select: { stockOnHand: true, name: true } });
    if (!current) throw new DomainError("not_found", "Product was not found");
    throw new DomainError<InsufficientStockDetails>(
      "insufficient_stock",
      `Only ${current.stockOnHand} of "${current.name}" in stock; ${-m.delta} needed`,
      { productId: m.productId, available: current.stockOnHand, requested: -m.delta },
    );
  }
  const after = product.stockOnHand;
  const before = after - m.delta;
  const movement = await tx.stockMovement.create({
    data: {
      id: timeOrderedId(m.at),
      tenantId: m.tenantId,
      productId: m.productId,
      kind: m.kind,
      quantity: m.delta,
      balance: after,
      reason: m.reason ?? null,
      actor: m.actor,
      saleId: m.saleId ?? null,
      requestKey: m.requestKey ?? null,
      createdAt: m.at,
    },
  });
  const threshold = product.lowStockThreshold;
  const lowStockEvent =
    threshold > 0 && before >= threshold && after < threshold
      ? await tx.lowStockEvent.create({
          data: { tenantId: m.tenantId, productId: m.productId, stockOnHand: after, threshold, createdAt: m.at },
        })
      : null;
  // The salon's linked owners and managers hear about it: outbox rows in this same transaction.
  if (lowStockEvent) await writeLowStockAlerts(tx, lowStockEvent, product, m.at);
  return { product, movement, lowStockEvent };
}

/**
 * Locks a product row for the rest of the transaction (`SELECT ... FOR UPDATE`) and returns its
 * stock on hand, or null when the salon has no such product. Use before computing a difference
 * to an absolute count (stock take, import), so no sale slips in between.
 */
export async function lockProductStock(tx: Prisma.TransactionClient, tenantId: string, productId: string): Promise<number | null> {
  const rows = await tx.$queryRaw<{ stockOnHand: number }[]>`
    SELECT "stockOnHand" FROM "Product" WHERE "tenantId" = ${tenantId}::uuid AND id = ${productId}::uuid FOR UPDATE`;
  return rows[0]?.stockOnHand ?? null;
}
