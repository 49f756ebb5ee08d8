import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";

const ACTOR = "staff:test";

describe("InventoryService (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let salon: TestSalon;
  let other: TestSalon;

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma, new FixedClock(new Date("2030-03-04T10:00:00Z")));
    salon = await createTestSalon(db.prisma);
    other = await createTestSalon(db.prisma);
  });
  afterAll(async () => db.drop());

  it("creates, updates, searches, archives and restores products", async () => {
    const p = await core.inventory.create({ tenantId: salon.tenantId, name: "Argan Oil", sku: "ARG-1", barcode: "5701234567890", priceMinor: 149_00, costMinor: 60_00, actor: ACTOR });
    expect(p).toMatchObject({ name: "Argan Oil", sku: "ARG-1", unit: "pcs", stockOnHand: 0, currency: "DKK", active: true, isLow: false });
    await core.inventory.create({ tenantId: salon.tenantId, name: "Shampoo with argan", sku: "SH-1", priceMinor: 99_00, actor: ACTOR });

    const updated = await core.inventory.update({ tenantId: salon.tenantId, productId: p.id, priceMinor: 159_00, lowStockThreshold: 2 });
    expect(updated).toMatchObject({ priceMinor: 159_00, lowStockThreshold: 2, sku: "ARG-1", barcode: "5701234567890" });

    expect((await core.inventory.search({ tenantId: salon.tenantId, query: "argan" })).map((x) => x.name)).toEqual(["Argan Oil", "Shampoo with argan"]);
    expect((await core.inventory.search({ tenantId: salon.tenantId, query: "5701234567890" })).map((x) => x.id)).toEqual([p.id]);
    // An exact SKU match comes first even when another name sorts before it.
    expect((await core.inventory.search({ tenantId: salon.tenantId, query: "sh-1" }))[0]?.sku).toBe("SH-1");
    expect(await core.inventory.search({ tenantId: other.tenantId, query: "argan" })).toEqual([]);

    await core.inventory.archive({ tenantId: salon.tenantId, productId: p.id });
    expect((await core.inventory.list({ tenantId: salon.tenantId })).map((x) => x.id)).not.toContain(p.id);
    expect((await core.inventory.list({ tenantId: salon.tenantId, includeArchived: true })).map((x) => x.id)).toContain(p.id);
    expect(await core.inventory.restore({ tenantId: salon.tenantId, productId: p.id })).toMatchObject({ active: true });

    await expect(core.inventory.get({ tenantId: other.tenantId, productId: p.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(core.inventory.update({ tenantId: other.tenantId, productId: p.id, name: "x" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses a SKU used by another product of the salon, but not of another salon", async () => {
    await core.inventory.create({ tenantId: salon.tenantId, name: "Wax", sku: "WAX", priceMinor: 80_00, actor: ACTOR });
    await expect(core.inventory.create({ tenantId: salon.tenantId, name: "Wax 2", sku: "WAX", priceMinor: 80_00, actor: ACTOR })).rejects.toMatchObject({
      code: "conflict",
      details: { field: "sku" },
    });
    const gel = await core.inventory.create({ tenantId: salon.tenantId, name: "Gel", sku: "GEL", priceMinor: 70_00, actor: ACTOR });
    await expect(core.inventory.update({ tenantId: salon.tenantId, productId: gel.id, sku: "WAX" })).rejects.toMatchObject({ code: "conflict", details: { field: "sku" } });
    await expect(core.inventory.create({ tenantId: other.tenantId, name: "Wax", sku: "WAX", priceMinor: 80_00, actor: ACTOR })).resolves.toMatchObject({ sku: "WAX" });
    // Products without a SKU do not collide.
    await core.inventory.create({ tenantId: salon.tenantId, name: "No SKU 1", priceMinor: 1_00, actor: ACTOR });
    await core.inventory.create({ tenantId: salon.tenantId, name: "No SKU 2", sku: "  ", priceMinor: 1_00, actor: ACTOR });
  });

  it("records a delivery sent twice under one request key once, also when both arrive at the same moment", async () => {
    const p = await core.inventory.create({ tenantId: salon.tenantId, name: "Hair spray", sku: "HSP", priceMinor: 90_00, stockOnHand: 3, actor: ACTOR });
    const first = await core.inventory.recordDelivery({ tenantId: salon.tenantId, productId: p.id, quantity: 6, actor: ACTOR, requestKey: "telegram:42:1001" });
    const again = await core.inventory.recordDelivery({ tenantId: salon.tenantId, productId: p.id, quantity: 6, actor: ACTOR, requestKey: "telegram:42:1001" });
    expect(again.movement?.id).toBe(first.movement?.id);
    expect(again.product.stockOnHand).toBe(9);

    const racing = await Promise.all(
      Array.from({ length: 8 }, () => core.inventory.recordDelivery({ tenantId: salon.tenantId, productId: p.id, quantity: 4, actor: ACTOR, requestKey: "telegram:42:1002" })),
    );
    expect(new Set(racing.map((r) => r.movement?.id)).size).toBe(1);
    expect((await core.inventory.get({ tenantId: salon.tenantId, productId: p.id })).stockOnHand).toBe(13);
    expect(await db.prisma.stockMovement.count({ where: { tenantId: salon.tenantId, productId: p.id, kind: "delivery" } })).toBe(2);
    // The key is the salon's own: another salon's identical key is another request.
    const theirs = await core.inventory.create({ tenantId: other.tenantId, name: "Hair spray", priceMinor: 90_00, actor: ACTOR });
    await expect(core.inventory.recordDelivery({ tenantId: other.tenantId, productId: theirs.id, quantity: 1, actor: ACTOR, requestKey: "telegram:42:1001" })).resolves.toMatchObject({ product: { stockOnHand: 1 } });
  });

  it("records every stock change as a movement with who and why, and reconciles", async () => {
    const p = await core.inventory.create({ tenantId: salon.tenantId, name: "Conditioner", sku: "CON", priceMinor: 120_00, stockOnHand: 5, actor: ACTOR });
    expect(p.stockOnHand).toBe(5);
    const delivery = await core.inventory.recordDelivery({ tenantId: salon.tenantId, productId: p.id, quantity: 10, reason: "PO 77", actor: ACTOR });
    expect(delivery.product.stockOnHand).toBe(15);
    expect(delivery.movement).toMatchObject({ kind: "delivery", quantity: 10, balance: 15, reason: "PO 77", actor: ACTOR });

    const used = await core.inventory.useInService({ tenantId: salon.tenantId, productId: p.id, quantity: 2, actor: "staff:other" });
    expect(used.movement).toMatchObject({ kind: "service_use", quantity: -2, balance: 13, actor: "staff:other" });

    const counted = await core.inventory.adjustStock({ tenantId: salon.tenantId, productId: p.id, countedQuantity: 11, reason: "Stock take", actor: ACTOR });
    expect(counted.movement).toMatchObject({ kind: "adjustment", quantity: -2, balance: 11, reason: "Stock take" });
    const same = await core.inventory.adjustStock({ tenantId: salon.tenantId, productId: p.id, countedQuantity: 11, reason: "Stock take", actor: ACTOR });
    expect(same.movement).toBeNull();
    const broken = await core.inventory.adjustStock({ tenantId: salon.tenantId, productId: p.id, delta: -1, reason: "Broken bottle", actor: ACTOR });
    expect(broken.product.stockOnHand).toBe(10);

    const movements = await core.inventory.listMovements({ tenantId: salon.tenantId, productId: p.id });
    expect(movements.map((m) => m.quantity).sort((a, b) => a - b)).toEqual([-2, -2, -1, 5, 10]);
    expect(movements.reduce((s, m) => s + m.quantity, 0)).toBe(10);

    expect(await core.inventory.reconcile(salon.tenantId)).toMatchObject({ differences: [] });
    // A write that skips the service is found.
    await db.prisma.product.update({ where: { id: p.id }, data: { stockOnHand: 99 } });
    expect((await core.inventory.reconcile(salon.tenantId)).differences).toEqual([{ productId: p.id, name: "Conditioner", stockOnHand: 99, movementsTotal: 10 }]);
    await db.prisma.product.update({ where: { id: p.id }, data: { stockOnHand: 10 } });
  });

  it("refuses stock below zero and a reason-less adjustment, writing nothing", async () => {
    const p = await core.inventory.create({ tenantId: salon.tenantId, name: "Dye", priceMinor: 50_00, stockOnHand: 1, actor: ACTOR });
    const before = await db.prisma.stockMovement.count({ where: { productId: p.id } });
    await expect(core.inventory.useInService({ tenantId: salon.tenantId, productId: p.id, quantity: 2, actor: ACTOR })).rejects.toMatchObject({
      code: "insufficient_stock",
      details: { productId: p.id, available: 1 },
    });
    await expect(core.inventory.adjustStock({ tenantId: salon.tenantId, productId: p.id, delta: -5, reason: "x", actor: ACTOR })).rejects.toMatchObject({
      code: "insufficient_stock",
    });
    await expect(core.inventory.adjustStock({ tenantId: salon.tenantId, productId: p.id, countedQuantity: 0, reason: "", actor: ACTOR })).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(
      core.inventory.adjustStock({ tenantId: salon.tenantId, productId: p.id, countedQuantity: 0, delta: -1, reason: "both", actor: ACTOR }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect(await db.prisma.stockMovement.count({ where: { productId: p.id } })).toBe(before);
    expect((await core.inventory.get({ tenantId: salon.tenantId, productId: p.id })).stockOnHand).toBe(1);
  });

  it("records a low-stock event once when stock crosses below the threshold", async () => {
    const p = await core.inventory.create({ tenantId: salon.tenantId, name: "Hairspray", priceMinor: 90_00, lowStockThreshold: 3, stockOnHand: 5, actor: ACTOR });
    const events = () => db.prisma.lowStockEvent.count({ where: { productId: p.id } });
    await core.inventory.useInService({ tenantId: salon.tenantId, productId: p.id, quantity: 2, actor: ACTOR }); // 3: not below
    expect(await events()).toBe(0);
    expect((await core.inventory.listLowStock(salon.tenantId)).map((x) => x.id)).not.toContain(p.id);
    await core.inventory.useInService({ tenantId: salon.tenantId, productId: p.id, quantity: 1, actor: ACTOR }); // 2: crosses
    expect(await events()).toBe(1);
    await core.inventory.useInService({ tenantId: salon.tenantId, productId: p.id, quantity: 1, actor: ACTOR }); // 1: still below
    expect(await events()).toBe(1);
    const low = await core.inventory.listLowStock(salon.tenantId);
    expect(low.find((x) => x.id === p.id)).toMatchObject({ stockOnHand: 1, isLow: true });
    const [event] = await core.inventory.listLowStockEvents({ tenantId: salon.tenantId });
    expect(event).toMatchObject({ productId: p.id, stockOnHand: 2, threshold: 3, notifiedAt: null });

    await core.inventory.recordDelivery({ tenantId: salon.tenantId, productId: p.id, quantity: 10, actor: ACTOR }); // 11
    await core.inventory.adjustStock({ tenantId: salon.tenantId, productId: p.id, countedQuantity: 0, reason: "Stolen", actor: ACTOR }); // crosses again
    expect(await events()).toBe(2);
    // No threshold: never an event.
    const q = await core.inventory.create({ tenantId: salon.tenantId, name: "Comb", priceMinor: 10_00, stockOnHand: 1, actor: ACTOR });
    await core.inventory.useInService({ tenantId: salon.tenantId, productId: q.id, quantity: 1, actor: ACTOR });
    expect(await db.prisma.lowStockEvent.count({ where: { productId: q.id } })).toBe(0);
  });
});
