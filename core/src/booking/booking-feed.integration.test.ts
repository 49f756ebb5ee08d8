import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FixedClock } from "../clock.js";
import { createCore, type Core } from "../core.js";
import { createTestClient, createTestSalon, type TestSalon } from "../testing/fixtures.js";
import { createTestDatabase, type TestDatabase } from "../testing/db.js";
import { BookingFeed, type BookingFeedNotice } from "./booking-feed.js";

const at = (iso: string) => new Date(iso);

/** Collects notices and lets a test wait for the next one. */
function inbox() {
  const notices: BookingFeedNotice[] = [];
  let wake: (() => void) | undefined;
  return {
    notices,
    notify(n: BookingFeedNotice) {
      notices.push(n);
      wake?.();
    },
    async next(count: number): Promise<BookingFeedNotice> {
      while (notices.length < count) await new Promise<void>((resolve) => (wake = resolve));
      return notices[count - 1]!;
    },
    /** Resolves once the latest notice carries `version` (a booking made by hold + confirm moves it twice). */
    async reaches(version: () => Promise<string>): Promise<void> {
      await expect.poll(async () => notices.at(-1)?.version === (await version())).toBe(true);
    },
  };
}

describe("BookingFeed (real PostgreSQL)", () => {
  let db: TestDatabase;
  let core: Core;
  let salon: TestSalon;
  let other: TestSalon;
  let clientId: string;
  const feeds: BookingFeed[] = [];
  const feed = () => {
    const f = new BookingFeed(db.prisma, { intervalMs: 50 });
    feeds.push(f);
    return f;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma, new FixedClock(at("2030-03-04T07:00:00Z")));
    salon = await createTestSalon(db.prisma);
    other = await createTestSalon(db.prisma);
    clientId = await createTestClient(db.prisma, salon.tenantId);
  });
  afterEach(() => feeds.splice(0).forEach((f) => f.close()));
  afterAll(async () => db.drop());

  const book = (tenant: TestSalon, startsAt: string, client: string) =>
    core.bookings.book({ tenantId: tenant.tenantId, serviceId: tenant.cutId, staffId: tenant.staffIds[0]!, startsAt: at(startsAt), channel: "telegram", clientId: client, actor: "client:x" });

  it("versions a salon's bookings: a new booking and every change move it", async () => {
    const f = feed();
    const empty = await f.version(salon.tenantId);
    expect(empty).toBe("0:0");
    const b = await book(salon, "2030-03-05T08:00:00Z", clientId);
    const afterBook = await f.version(salon.tenantId);
    expect(afterBook).not.toBe(empty);
    await core.bookings.setStatus({ tenantId: salon.tenantId, bookingId: b.id, status: "arrived", actor: "staff:a" });
    const afterArrived = await f.version(salon.tenantId);
    expect(afterArrived).not.toBe(afterBook);
    expect(await f.version(other.tenantId)).toBe("0:0");
    await expect(f.version("not-a-uuid")).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("notifies listeners of their own salon only, and stops on unsubscribe", async () => {
    const f = feed();
    const mine = inbox();
    const theirs = inbox();
    const stopMine = f.subscribe(salon.tenantId, (n) => mine.notify(n), { since: await f.version(salon.tenantId) });
    f.subscribe(other.tenantId, (n) => theirs.notify(n), { since: await f.version(other.tenantId) });
    const version = () => f.version(salon.tenantId);
    const b = await book(salon, "2030-03-05T10:00:00Z", clientId);
    await mine.reaches(version);
    expect(mine.notices.every((n) => n.tenantId === salon.tenantId)).toBe(true);
    expect(theirs.notices).toEqual([]);

    const seen = mine.notices.length;
    await core.bookings.reschedule({ tenantId: salon.tenantId, bookingId: b.id, startsAt: at("2030-03-05T13:00:00Z"), actor: "staff:a", policy: "staff" });
    await mine.reaches(version);
    expect(mine.notices.length).toBe(seen + 1);

    stopMine();
    expect(f.size).toBe(1);
  });

  it("starts from a version the caller already has, so a change before subscribing is not lost", async () => {
    const f = feed();
    const rendered = await f.version(salon.tenantId);
    await book(salon, "2030-03-06T08:00:00Z", clientId);
    const late = inbox();
    f.subscribe(salon.tenantId, (n) => late.notify(n), { since: rendered });
    await late.reaches(() => f.version(salon.tenantId));

    // The same version: nothing to say until the next change.
    const current = await f.version(salon.tenantId);
    const quiet = inbox();
    f.subscribe(salon.tenantId, (n) => quiet.notify(n), { since: current });
    const otherClient = await createTestClient(db.prisma, salon.tenantId, "Second");
    await book(salon, "2030-03-06T10:00:00Z", otherClient);
    await quiet.reaches(() => f.version(salon.tenantId));
    expect(quiet.notices.map((n) => n.version)).not.toContain(current);
  });

  it("a listener that throws does not stop the others; close() ends the notices", async () => {
    const errors: unknown[] = [];
    const f = new BookingFeed(db.prisma, { intervalMs: 50, onError: (e) => errors.push(e) });
    feeds.push(f);
    const since = await f.version(salon.tenantId);
    const good = inbox();
    f.subscribe(salon.tenantId, () => {
      throw new Error("listener failed");
    }, { since });
    f.subscribe(salon.tenantId, (n) => good.notify(n), { since });
    await book(salon, "2030-03-07T08:00:00Z", clientId);
    await good.next(1);
    expect(errors).toEqual([expect.objectContaining({ message: "listener failed" })]);
    f.close();
    expect(f.size).toBe(0);
  });
});
