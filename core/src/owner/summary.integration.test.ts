import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { seedDemoSalon } from "../demo/seed.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";

/** The daily summary: off by default, sent at opening time in the salon's zone, once per local date and recipient. */
describe("owner daily summary (real PostgreSQL)", () => {
  let db: TestDatabase;
  let clock: FixedClock;
  let core: Core;
  let tenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Monday 2030-03-04 08:30 in Copenhagen; the demo salon opens at 09:00 on Mondays.
    clock = new FixedClock(new Date("2030-03-04T07:30:00Z"));
    core = createCore(db.prisma, clock);
    tenantId = (await seedDemoSalon(db.prisma))!.id;
    const owner = await core.auth.createAccount({ tenantId, email: "o@sum.test", name: "O", role: "owner" });
    const { code } = await core.owner.createPairingCode({ tenantId, accountId: owner.id });
    await core.owner.pair({ tenantId, channel: "telegram", chatId: "900", code });
  });
  afterAll(async () => db.drop());

  const summaries = () => db.prisma.outboxMessage.findMany({ where: { tenantId, kind: "owner_alert" } });

  it("is off by default, waits for opening time, then is written once per local date", async () => {
    expect(await core.owner.openingMinute(tenantId, "2030-03-04")).toBe(9 * 60);
    expect(await core.owner.planDailySummaries()).toEqual({ salons: 0, written: 0 });
    await core.owner.setSettings(tenantId, { dailySummary: true });
    expect(await core.owner.planDailySummaries()).toEqual({ salons: 1, written: 0 });

    clock.set(new Date("2030-03-04T08:00:00Z")); // 09:00 local
    expect((await core.owner.planDailySummaries()).written).toBe(1);
    expect((await core.owner.planDailySummaries()).written).toBe(0);
    const [row] = await summaries();
    expect(row).toMatchObject({ channel: "telegram", recipient: "900", category: "owner" });
    expect(row!.idempotencyKey).toMatch(/^daily_summary:2030-03-04:/);
    expect(row!.data).toMatchObject({ alert: "daily_summary", date: "2030-03-04", bookings: 0, yesterdayNetMinor: 0, currency: "DKK" });
    expect((row!.data as { freeSlots: number }).freeSlots).toBeGreaterThan(0);

    clock.set(new Date("2030-03-05T08:00:00Z")); // Tuesday 09:00 local: a new day, a new summary
    expect((await core.owner.planDailySummaries()).written).toBe(1);
  });
});
