import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { DomainError } from "../errors.js";
import { createTestClient, createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";

const ACTOR = "staff:till";
const NOW = new Date("2030-03-04T06:00:00Z"); // Monday 07:00 in Copenhagen

describe("PosService (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let clock: FixedClock;
  let salon: TestSalon;
  let slot = 0;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 12 });
    clock = new FixedClock(NOW);
    core = createCore(db.prisma, clock);
    salon = await createTestSalon(db.prisma);
  });
  afterAll(async () => db.drop());

  /** A confirmed booking of "Cut" (300.00 DKK) on the next free hour of staff 1. */
  async function booking(clientId: string) {
    const startsAt = new Date(Date.UTC(2030, 2, 5 + Math.floor(slot / 6), 8 + (slot % 6 < 3 ? slot % 6 : (slot % 6) + 1), 0));
    slot++;
    return core.bookings.book({ tenantId: salon.tenantId, serviceId: salon.cutId, staffId: salon.staffIds[0]!, startsAt, channel: "admin", clientId, actor: ACTOR });
  }
  const product = (name: string, stockOnHand: number, priceMinor = 100_00, lowStockThreshold = 0) =>
    core.inventory.create({ tenantId: salon.tenantId, name, priceMinor, stockOnHand, lowStockThreshold, actor: ACTOR });
  const counts = async () => ({
    sales: await db.prisma.sale.count(),
    lines: await db.prisma.saleLine.count(),
    payments: await db.prisma.payment.count(),
    movements: await db.prisma.stockMovement.count(),
    events: await db.prisma.bookingEvent.count(),
  });

  it("drafts a cart from a booking: the booked service at the booked price, and the client", async () => {
    const clientId = await createTestClient(db.prisma, salon.tenantId, "Ida");
    const b = await booking(clientId);
    await db.prisma.service.update({ where: { id: salon.cutId }, data: { priceMinor: 350_00 } }); // price rose after booking
    const draft = await core.pos.draftFromBooking({ tenantId: salon.tenantId, bookingId: b.id });
    expect(draft).toMatchObject({
      bookingId: b.id,
      client: { id: clientId, name: "Ida" },
      currency: "DKK",
      lines: [{ kind: "service", serviceId: salon.cutId, description: "Cut", quantity: 1, unitPriceMinor: 300_00 }],
      subtotalMinor: 300_00,
      existingSaleId: null,
    });
    await db.prisma.service.update({ where: { id: salon.cutId }, data: { priceMinor: 300_00 } });
  });

  it("checks out a booking with a product, split payments and cash change, in one go", async () => {
    const clientId = await createTestClient(db.prisma, salon.tenantId, "Jo");
    const b = await booking(clientId);
    const oil = await product("Oil", 5, 150_00, 5);
    // Cut 300 + 2 × oil 150 = 600; discount 50, tip 20 → 570: card 400, cash 170 tendered as 200.
    const sale = await core.pos.checkout({
      tenantId: salon.tenantId,
      bookingId: b.id,
      lines: [{ kind: "service", serviceId: salon.cutId, quantity: 1 }, { kind: "product", productId: oil.id, quantity: 2 }],
      discountMinor: 50_00,
      tipMinor: 20_00,
      payments: [
        { method: "card", amountMinor: 400_00 },
        { method: "cash", amountMinor: 170_00, tenderedMinor: 200_00 },
      ],
      actor: ACTOR,
    });
    expect(sale).toMatchObject({
      bookingId: b.id,
      clientId,
      status: "completed",
      currency: "DKK",
      subtotalMinor: 600_00,
      discountMinor: 50_00,
      tipMinor: 20_00,
      totalMinor: 570_00,
      changeDueMinor: 30_00,
      createdAt: NOW,
    });
    expect(sale.lines.map((l) => [l.description, l.quantity, l.unitPriceMinor, l.totalMinor])).toEqual([
      ["Cut", 1, 300_00, 300_00],
      ["Oil", 2, 150_00, 300_00],
    ]);
    expect(sale.payments.map((p) => [p.method, p.amountMinor, p.tenderedMinor, p.changeMinor])).toEqual([
      ["card", 400_00, null, 0],
      ["cash", 170_00, 200_00, 30_00],
    ]);
    expect((await core.inventory.get({ tenantId: salon.tenantId, productId: oil.id })).stockOnHand).toBe(3);
    const movements = await core.inventory.listMovements({ tenantId: salon.tenantId, productId: oil.id });
    expect(movements.filter((m) => m.kind === "sale")).toMatchObject([{ quantity: -2, balance: 3, saleId: sale.id, actor: ACTOR }]);
    expect(await db.prisma.lowStockEvent.count({ where: { productId: oil.id } })).toBe(1);

    const after = await core.bookings.getBooking({ tenantId: salon.tenantId, bookingId: b.id });
    expect(after.status).toBe("completed");
    const history = await core.bookings.history({ tenantId: salon.tenantId, bookingId: b.id });
    expect(history.at(-1)).toMatchObject({ type: "completed", actor: ACTOR, data: { from: "confirmed", saleId: sale.id } });

    // The same booking again: refused, nothing written.
    const before = await counts();
    const again = core.pos.checkout({
      tenantId: salon.tenantId,
      bookingId: b.id,
      lines: [{ kind: "service", serviceId: salon.cutId, quantity: 1 }],
      discountMinor: 0,
      tipMinor: 0,
      payments: [{ method: "card", amountMinor: 300_00 }],
      actor: ACTOR,
    });
    await expect(again).rejects.toMatchObject({ code: "conflict", details: { saleId: sale.id } });
    expect(await counts()).toEqual(before);
    expect((await core.pos.draftFromBooking({ tenantId: salon.tenantId, bookingId: b.id })).existingSaleId).toBe(sale.id);

    const receipt = await core.pos.getReceipt({ tenantId: salon.tenantId, saleId: sale.id });
    expect(receipt).toMatchObject({
      salon: { name: "Test Salon", timeZone: "Europe/Copenhagen", currency: "DKK" },
      client: { id: clientId, name: "Jo" },
      booking: { id: b.id, serviceName: "Cut", staffName: "S1", startsAt: b.startsAt },
      paidMinor: 570_00,
      refundedMinor: 0,
      netMinor: 570_00,
    });
  });

  it("refuses payments that do not add up, and other bad input, writing nothing", async () => {
    const oil = await product("Serum", 4);
    const base = {
      tenantId: salon.tenantId,
      lines: [{ kind: "product" as const, productId: oil.id, quantity: 1 }],
      discountMinor: 0,
      tipMinor: 0,
      actor: ACTOR,
    };
    const before = await counts();
    const bad = [
      { ...base, payments: [{ method: "card" as const, amountMinor: 99_00 }] },
      { ...base, payments: [{ method: "card" as const, amountMinor: 60_00 }, { method: "cash" as const, amountMinor: 60_00 }] },
      { ...base, payments: [] },
      { ...base, payments: [{ method: "card" as const, amountMinor: 100_00, tenderedMinor: 200_00 }] },
      { ...base, payments: [{ method: "cash" as const, amountMinor: 100_00, tenderedMinor: 50_00 }] },
      { ...base, discountMinor: 100_01, payments: [{ method: "card" as const, amountMinor: 1 }] },
      { ...base, lines: [{ kind: "product" as const, productId: oil.id, quantity: 0 }], payments: [{ method: "card" as const, amountMinor: 100_00 }] },
      { ...base, currency: "EUR", payments: [{ method: "card" as const, amountMinor: 100_00 }] },
      { ...base, lines: [], payments: [] },
    ];
    for (const input of bad) await expect(core.pos.checkout(input), JSON.stringify(input)).rejects.toMatchObject({ code: "invalid_input" });
    const notSumming = await core.pos.checkout(bad[0]!).catch((e: unknown) => e);
    expect(notSumming).toMatchObject({ details: { totalMinor: 100_00, paidMinor: 99_00 } });
    await expect(core.pos.checkout({ ...base, lines: [{ kind: "product", productId: oil.id, quantity: 5 }], payments: [{ method: "card", amountMinor: 500_00 }] })).rejects.toMatchObject({
      code: "insufficient_stock",
      details: { productId: oil.id, available: 4 },
    });
    expect(await counts()).toEqual(before);
    expect((await core.inventory.get({ tenantId: salon.tenantId, productId: oil.id })).stockOnHand).toBe(4);

    // A price override for a service, and a sale with no client.
    const sale = await core.pos.checkout({
      ...base,
      lines: [{ kind: "service", serviceId: salon.trimId, quantity: 1, unitPriceMinor: 120_00 }],
      payments: [{ method: "other", amountMinor: 120_00 }],
    });
    expect(sale).toMatchObject({ clientId: null, bookingId: null, totalMinor: 120_00, changeDueMinor: 0 });
  });

  it("10 concurrent checkouts of a product with 3 in stock: exactly 3 sell, stock ends at 0", async () => {
    const last = await product("Last units", 3);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        core.pos.checkout({
          tenantId: salon.tenantId,
          lines: [{ kind: "product", productId: last.id, quantity: 1 }],
          discountMinor: 0,
          tipMinor: 0,
          payments: [{ method: "card", amountMinor: 100_00 }],
          actor: ACTOR,
        }),
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const codes = results.flatMap((r) => (r.status === "rejected" ? [r.reason instanceof DomainError ? r.reason.code : String(r.reason)] : []));
    expect(ok).toBe(3);
    expect(codes).toEqual(Array(7).fill("insufficient_stock"));
    expect((await core.inventory.get({ tenantId: salon.tenantId, productId: last.id })).stockOnHand).toBe(0);
    const movements = await core.inventory.listMovements({ tenantId: salon.tenantId, productId: last.id });
    expect(movements.filter((m) => m.kind === "sale").map((m) => m.balance).sort()).toEqual([0, 1, 2]);
    expect(await db.prisma.sale.count({ where: { lines: { some: { productId: last.id } } } })).toBe(3);
    expect((await core.inventory.reconcile(salon.tenantId)).differences).toEqual([]);
  });

  it("refunds lines, then the rest; restores stock; cannot refund more than sold", async () => {
    const clientId = await createTestClient(db.prisma, salon.tenantId, "Refund Ruth");
    const gel = await product("Gel", 10, 80_00);
    const b = await booking(clientId);
    // Cut 300 + 3 gel × 80 = 540, discount 40, tip 30 → 530.
    const sale = await core.pos.checkout({
      tenantId: salon.tenantId,
      bookingId: b.id,
      lines: [{ kind: "service", serviceId: salon.cutId, quantity: 1 }, { kind: "product", productId: gel.id, quantity: 3 }],
      discountMinor: 40_00,
      tipMinor: 30_00,
      payments: [{ method: "card", amountMinor: 530_00 }],
      actor: ACTOR,
    });
    const gelLine = sale.lines.find((l) => l.productId === gel.id)!;
    clock.advanceMinutes(60);

    const partial = await core.pos.refund({ tenantId: salon.tenantId, saleId: sale.id, lines: [{ saleLineId: gelLine.id, quantity: 2 }], method: "cash", actor: ACTOR });
    expect(partial.amountMinor).toBe(160_00);
    expect(partial.sale).toMatchObject({ status: "partially_refunded", refundedMinor: 160_00 });
    expect(partial.sale.lines.find((l) => l.id === gelLine.id)?.refundedQuantity).toBe(2);
    expect(partial.sale.payments.at(-1)).toMatchObject({ kind: "refund", method: "cash", amountMinor: 160_00 });
    expect((await core.inventory.get({ tenantId: salon.tenantId, productId: gel.id })).stockOnHand).toBe(9);
    const [movement] = await core.inventory.listMovements({ tenantId: salon.tenantId, productId: gel.id, limit: 1 });
    expect(movement).toMatchObject({ kind: "refund", quantity: 2, balance: 9, saleId: sale.id });

    const before = await counts();
    await expect(
      core.pos.refund({ tenantId: salon.tenantId, saleId: sale.id, lines: [{ saleLineId: gelLine.id, quantity: 2 }], method: "cash", actor: ACTOR }),
    ).rejects.toMatchObject({ code: "invalid_input", details: { refundable: 1 } });
    await expect(
      core.pos.refund({ tenantId: salon.tenantId, saleId: sale.id, lines: [{ saleLineId: sale.id, quantity: 1 }], method: "cash", actor: ACTOR }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect(await counts()).toEqual(before);

    // The whole rest: the cut, the last gel and the tip, less the discount: 530 - 160 = 370.
    const rest = await core.pos.refund({ tenantId: salon.tenantId, saleId: sale.id, method: "card", actor: ACTOR });
    expect(rest.amountMinor).toBe(370_00);
    expect(rest.sale).toMatchObject({ status: "refunded", refundedMinor: 530_00 });
    expect(rest.sale.lines.every((l) => l.refundedQuantity === l.quantity)).toBe(true);
    expect((await core.inventory.get({ tenantId: salon.tenantId, productId: gel.id })).stockOnHand).toBe(10);
    await expect(core.pos.refund({ tenantId: salon.tenantId, saleId: sale.id, method: "card", actor: ACTOR })).rejects.toMatchObject({ code: "conflict" });

    const receipt = await core.pos.getReceipt({ tenantId: salon.tenantId, saleId: sale.id });
    expect(receipt).toMatchObject({ paidMinor: 530_00, refundedMinor: 530_00, netMinor: 0 });
    // A fully refunded booking may be checked out again.
    const again = await core.pos.checkout({
      tenantId: salon.tenantId,
      bookingId: b.id,
      lines: [{ kind: "service", serviceId: salon.cutId, quantity: 1 }],
      discountMinor: 0,
      tipMinor: 0,
      payments: [{ method: "card", amountMinor: 300_00 }],
      actor: ACTOR,
    });
    expect(again.bookingId).toBe(b.id);
    expect((await core.inventory.reconcile(salon.tenantId)).differences).toEqual([]);
    clock.set(NOW);
  });

  it("never refunds more than was paid: line refunds are capped by the discount", async () => {
    const mask = await product("Mask", 2, 100_00);
    const sale = await core.pos.checkout({
      tenantId: salon.tenantId,
      lines: [{ kind: "product", productId: mask.id, quantity: 2 }],
      discountMinor: 150_00,
      tipMinor: 0,
      payments: [{ method: "cash", amountMinor: 50_00 }],
      actor: ACTOR,
    });
    const line = sale.lines[0]!;
    const first = await core.pos.refund({ tenantId: salon.tenantId, saleId: sale.id, lines: [{ saleLineId: line.id, quantity: 1 }], method: "cash", actor: ACTOR });
    expect(first.amountMinor).toBe(50_00);
    const second = await core.pos.refund({ tenantId: salon.tenantId, saleId: sale.id, lines: [{ saleLineId: line.id, quantity: 1 }], method: "cash", actor: ACTOR });
    expect(second.amountMinor).toBe(0);
    expect(second.sale).toMatchObject({ status: "refunded", refundedMinor: 50_00 });
    expect(second.sale.payments.filter((p) => p.kind === "refund")).toHaveLength(1);
    expect((await core.inventory.get({ tenantId: salon.tenantId, productId: mask.id })).stockOnHand).toBe(2);
  });

  it("does not let one salon check out, read or refund another salon's records", async () => {
    const other = await createTestSalon(db.prisma);
    const serum = await product("Foreign", 1);
    await expect(
      core.pos.checkout({
        tenantId: other.tenantId,
        lines: [{ kind: "product", productId: serum.id, quantity: 1 }],
        discountMinor: 0,
        tipMinor: 0,
        payments: [{ method: "card", amountMinor: 100_00 }],
        actor: ACTOR,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
    const sale = (await core.pos.listSales({ tenantId: salon.tenantId, limit: 1 }))[0]!;
    await expect(core.pos.getReceipt({ tenantId: other.tenantId, saleId: sale.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(core.pos.refund({ tenantId: other.tenantId, saleId: sale.id, method: "card", actor: ACTOR })).rejects.toMatchObject({ code: "not_found" });
  });
});
