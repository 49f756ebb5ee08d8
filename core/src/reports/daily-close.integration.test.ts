import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";

const ACTOR = "staff:till";

describe("daily close (real PostgreSQL, salon in America/New_York)", () => {
  let db: TestDatabase;
  let core: Core;
  let clock: FixedClock;
  let salon: TestSalon;

  beforeAll(async () => {
    db = await createTestDatabase();
    clock = new FixedClock(new Date("2030-03-04T14:00:00Z"));
    core = createCore(db.prisma, clock);
    salon = await createTestSalon(db.prisma, { timeZone: "America/New_York" });
  });
  afterAll(async () => db.drop());

  const sell = (at: string, payments: { method: "cash" | "card" | "other"; amountMinor: number; tenderedMinor?: number }[], extra: { discountMinor?: number; tipMinor?: number } = {}) => {
    clock.set(new Date(at));
    return core.pos.checkout({
      tenantId: salon.tenantId,
      lines: [{ kind: "service", serviceId: salon.cutId, quantity: 1 }], // 300.00
      discountMinor: extra.discountMinor ?? 0,
      tipMinor: extra.tipMinor ?? 0,
      payments,
      actor: ACTOR,
    });
  };

  it("adds up a local day by payment method, payments minus refunds, with tips and discounts", async () => {
    // 2030-03-04 in New York (EST, UTC-5) runs from 05:00Z to 05:00Z the next day.
    await sell("2030-03-04T04:59:00Z", [{ method: "card", amountMinor: 300_00 }]); // 23:59 on the 3rd: not counted
    await sell("2030-03-04T14:00:00Z", [{ method: "cash", amountMinor: 310_00, tenderedMinor: 400_00 }], { tipMinor: 10_00 });
    const split = await sell("2030-03-04T18:30:00Z", [
      { method: "card", amountMinor: 200_00 },
      { method: "other", amountMinor: 50_00 },
    ], { discountMinor: 50_00 });
    // 23:30 local on the 4th is 04:30Z on the 5th: it belongs to the 4th.
    const late = await sell("2030-03-05T04:30:00Z", [{ method: "card", amountMinor: 320_00 }], { tipMinor: 20_00 });
    // A whole refund, in cash, on the 4th of the split sale: the 250.00 paid.
    clock.set(new Date("2030-03-04T20:00:00Z"));
    await core.pos.refund({ tenantId: salon.tenantId, saleId: split.id, method: "cash", actor: ACTOR });
    // A refund on the 5th of the late sale counts on the 5th.
    clock.set(new Date("2030-03-05T15:00:00Z"));
    await core.pos.refund({ tenantId: salon.tenantId, saleId: late.id, method: "card", actor: ACTOR });

    const close = await core.reports.dailyClose({ tenantId: salon.tenantId, date: "2030-03-04" });
    expect(close).toMatchObject({
      date: "2030-03-04",
      timeZone: "America/New_York",
      currency: "DKK",
      from: new Date("2030-03-04T05:00:00Z"),
      until: new Date("2030-03-05T05:00:00Z"),
      byMethod: {
        cash: { paymentsMinor: 310_00, refundsMinor: 250_00, netMinor: 60_00, count: 2 },
        card: { paymentsMinor: 520_00, refundsMinor: 0, netMinor: 520_00, count: 2 },
        other: { paymentsMinor: 50_00, refundsMinor: 0, netMinor: 50_00, count: 1 },
      },
      paymentsMinor: 880_00,
      refundsMinor: 250_00,
      netMinor: 630_00,
      salesCount: 3,
      grossMinor: 900_00,
      discountsMinor: 50_00,
      tipsMinor: 30_00,
    });

    const next = await core.reports.dailyClose({ tenantId: salon.tenantId, date: "2030-03-05" });
    expect(next).toMatchObject({ salesCount: 0, paymentsMinor: 0, refundsMinor: 320_00, netMinor: -320_00, byMethod: { card: { refundsMinor: 320_00 } } });
  });

  it("follows DST: the spring-forward day is 23 hours long", async () => {
    const close = await core.reports.dailyClose({ tenantId: salon.tenantId, date: "2030-03-10" });
    expect(close.from).toEqual(new Date("2030-03-10T05:00:00Z"));
    expect(close.until).toEqual(new Date("2030-03-11T04:00:00Z"));
  });

  it("refuses what is not a date", async () => {
    for (const date of ["2030-02-30", "04-03-2030", "today"]) {
      await expect(core.reports.dailyClose({ tenantId: salon.tenantId, date }), date).rejects.toMatchObject({ code: "invalid_input" });
    }
  });
});
