import type { LowStockEvent, Product, StockMovement, StockMovementKind } from "@prisma/client";
import { z } from "zod";

/** Who did it, as stored on movements and sales: "staff:<accountId>", "system", ... */
export const actorSchema = z.string().trim().min(1).max(100);

const text = (max: number) => z.string().trim().min(1).max(max);
/** An optional code (SKU, barcode): blank becomes null. */
const optionalCode = z
  .string()
  .trim()
  .max(64)
  .nullish()
  .transform((v) => (v ? v : null));
const minor = z.number().int().min(0).max(1_000_000_000);
const quantity = z.number().int().min(0).max(1_000_000);

/** Input of `InventoryService.create`. Money in minor units of the salon's currency. */
export const productCreateSchema = z.object({
  tenantId: z.uuid(),
  name: text(200),
  sku: optionalCode,
  barcode: optionalCode,
  unit: text(16).default("pcs"),
  costMinor: minor.default(0),
  priceMinor: minor,
  lowStockThreshold: quantity.default(0),
  /** Opening stock, recorded as an "adjustment" movement. */
  stockOnHand: quantity.default(0),
  actor: actorSchema,
});

/** Input of `InventoryService.update`: only the given fields change. Stock changes go through movements. */
export const productUpdateSchema = z.object({
  tenantId: z.uuid(),
  productId: z.uuid(),
  name: text(200).optional(),
  sku: optionalCode.optional(),
  barcode: optionalCode.optional(),
  unit: text(16).optional(),
  costMinor: minor.optional(),
  priceMinor: minor.optional(),
  lowStockThreshold: quantity.optional(),
});

export const productRefSchema = z.object({ tenantId: z.uuid(), productId: z.uuid() });

export const productListSchema = z.object({
  tenantId: z.uuid(),
  /** Matches name, SKU or barcode (case-insensitive, substring); exact SKU/barcode matches first. */
  query: z.string().trim().max(200).optional(),
  includeArchived: z.boolean().default(false),
  limit: z.number().int().min(1).max(1000).default(200),
});

export const deliverySchema = z.object({
  tenantId: z.uuid(),
  productId: z.uuid(),
  quantity: z.number().int().min(1).max(1_000_000),
  reason: z.string().trim().max(500).optional(),
  actor: actorSchema,
  requestKey: z.string().trim().min(1).max(200).optional(),
});

export const adjustSchema = z
  .object({
    tenantId: z.uuid(),
    productId: z.uuid(),
    /** The quantity counted on the shelf; the movement is the difference. */
    countedQuantity: quantity.optional(),
    /** A signed change, e.g. -2 for two broken bottles. */
    delta: z.number().int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0, "must not be 0").optional(),
    reason: text(500),
    actor: actorSchema,
  })
  .refine((a) => (a.countedQuantity === undefined) !== (a.delta === undefined), {
    message: "give either countedQuantity or delta",
    path: ["countedQuantity"],
  });

export const serviceUseSchema = z.object({
  tenantId: z.uuid(),
  productId: z.uuid(),
  quantity: z.number().int().min(1).max(1_000_000),
  bookingId: z.uuid().optional(),
  reason: z.string().trim().max(500).optional(),
  actor: actorSchema,
});

export const movementListSchema = z.object({
  tenantId: z.uuid(),
  productId: z.uuid(),
  limit: z.number().int().min(1).max(1000).default(100),
});

/** A product as the admin shows it. Money in minor units of `currency`. */
export interface ProductView {
  id: string;
  name: string;
  sku: string | null;
  barcode: string | null;
  unit: string;
  costMinor: number;
  priceMinor: number;
  currency: string;
  stockOnHand: number;
  lowStockThreshold: number;
  /** stockOnHand < lowStockThreshold, with a threshold above 0. */
  isLow: boolean;
  /** false once archived: hidden from the POS, kept for history. */
  active: boolean;
  updatedAt: Date;
}

/** One change of stock. `quantity` is signed (a sale is negative); `balance` is stock on hand after it. */
export interface StockMovementView {
  id: string;
  productId: string;
  kind: StockMovementKind;
  quantity: number;
  balance: number;
  reason: string | null;
  /** "staff:<accountId>", "system", ... */
  actor: string;
  saleId: string | null;
  createdAt: Date;
}

/** A product fell below its threshold (recorded once per crossing). */
export interface LowStockEventView {
  id: string;
  productId: string;
  stockOnHand: number;
  threshold: number;
  createdAt: Date;
  notifiedAt: Date | null;
}

/** The result of a stock change: the product after it and the movement written (null when nothing changed). */
export interface StockChange {
  product: ProductView;
  movement: StockMovementView | null;
}

/** Maps a Product row to its view. */
export function toProductView(p: Product, currency: string): ProductView {
  return {
    id: p.id,
    name: p.name,
    sku: p.sku,
    barcode: p.barcode,
    unit: p.unit,
    costMinor: p.costMinor,
    priceMinor: p.priceMinor,
    currency,
    stockOnHand: p.stockOnHand,
    lowStockThreshold: p.lowStockThreshold,
    isLow: p.lowStockThreshold > 0 && p.stockOnHand < p.lowStockThreshold,
    active: p.active,
    updatedAt: p.updatedAt,
  };
}

/** Maps a StockMovement row to its view. */
export function toMovementView(m: StockMovement): StockMovementView {
  return {
    id: m.id,
    productId: m.productId,
    kind: m.kind,
    quantity: m.quantity,
    balance: m.balance,
    reason: m.reason,
    actor: m.actor,
    saleId: m.saleId,
    createdAt: m.createdAt,
  };
}

/** Maps a LowStockEvent row to its view. */
export function toLowStockEventView(e: LowStockEvent): LowStockEventView {
  return { id: e.id, productId: e.productId, stockOnHand: e.stockOnHand, threshold: e.threshold, createdAt: e.createdAt, notifiedAt: e.notifiedAt };
}
