/** The job worker in this process: Agenda and the outbox listener against the real database. */
import { createCore, FixedClock, WebchatStore, type Core, type OutboundMessage, type Sender, type SenderDirectory } from "@chairside/core";
import { createTestDatabase, createTestSalon, type TestDatabase, type TestSalon } from "@chairside/core/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../log.js";
import { JOB_NAMES } from "./registry.js";
import { type JobRuntime, startJobs } from "./runtime.js";

const NOW = new Date("2030-03-04T09:00:00Z"); // Monday 10:00 in Copenhagen (outside quiet hours)

class RecordingSender implements Sender {
  readonly channel = "telegram";
  readonly sent: OutboundMessage[] = [];
  async send(message: OutboundMessage) {
    this.sent.push(message);
    return { providerMessageId: `tg-${this.sent.length}` };
  }
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("job worker (Agenda + LISTEN/NOTIFY on the real database)", () => {
  let db: TestDatabase;
  let core: Core;
  let salon: TestSalon;
  let clientId: string;
  let sender: RecordingSender;
  let runtime: JobRuntime;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    core = createCore(db.prisma, new FixedClock(NOW));
    salon = await createTestSalon(db.prisma, { staffCount: 1 });
    clientId = (await db.prisma.client.create({ data: { tenantId: salon.tenantId, name: "Ada" } })).id;
    await db.prisma.clientIdentity.create({ data: { tenantId: salon.tenantId, clientId, channel: "telegram", externalId: `${Math.random()}` } });
    sender = new RecordingSender();
    const senders: SenderDirectory = { get: (tenantId, c) => (tenantId === salon.tenantId && c === "telegram" ? sender : undefined), channelsOf: () => ["telegram"] };
    runtime = await startJobs({
      core,
      databaseUrl: db.url,
      senders,
      log: createLogger({ level: "warn", sinks: { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) } }),
      everyMs: { "outbox:deliver": 400, "bookings:no-show": 400, "webchat:prune": 400 },
      processEveryMs: 200,
    });
    await runtime.delivery.drain();
  });
  afterEach(async () => runtime.stop());

  it("delivers a booking's confirmation as soon as the booking commits (NOTIFY wakes the loop)", async () => {
    const booking = await core.bookings.book({
      tenantId: salon.tenantId, serviceId: salon.cutId, staffId: salon.staffIds[0]!, startsAt: new Date("2030-03-06T09:00:00Z"), channel: "admin", clientId, actor: "staff:desk",
    });
    const confirmation = () => db.prisma.outboxMessage.findFirstOrThrow({ where: { bookingId: booking.id, kind: "confirmation" } });
    await until(async () => (await confirmation()).status === "sent", "the confirmation");
    expect(sender.sent.map((m) => [m.kind, m.data.bookingId])).toEqual([["confirmation", booking.id]]);
    expect(await confirmation()).toMatchObject({ status: "sent", providerMessageId: "tg-1" });
  });

  it("delivers a row nobody announced at the next scheduler heartbeat (outbox:deliver)", async () => {
    // Written without NOTIFY: only the recurring Agenda job finds it.
    const row = await db.prisma.outboxMessage.create({
      data: { tenantId: salon.tenantId, kind: "confirmation", category: "utility", clientId, data: {}, idempotencyKey: `silent-${Math.random()}`, notBefore: NOW, nextAttemptAt: NOW },
    });
    await until(async () => (await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).status === "sent", "the heartbeat delivery");
    expect(sender.sent.map((m) => m.outboxId)).toEqual([row.id]);
  });

  it("marks an overdue booking no-show through the scheduled job", async () => {
    const booking = await db.prisma.booking.create({
      data: {
        tenantId: salon.tenantId, staffId: salon.staffIds[0]!, serviceId: salon.cutId, clientId, status: "confirmed",
        startsAt: new Date("2030-03-04T08:40:00Z"), endsAt: new Date("2030-03-04T09:40:00Z"),
        blockedFrom: new Date("2030-03-04T08:40:00Z"), blockedUntil: new Date("2030-03-04T09:40:00Z"), priceMinor: 0, currency: "DKK", channel: "admin",
      },
    });
    await until(async () => (await db.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } })).status === "no_show", "the no-show");
    expect((await core.bookings.history({ tenantId: salon.tenantId, bookingId: booking.id })).at(-1)).toMatchObject({ type: "no_show", actor: "system" });
  });

  it("deletes web chat conversations idle for 30 days with their transcripts, and keeps the others", async () => {
    const store = new WebchatStore(db.prisma);
    const idle = await store.openWidgetConversation(salon.tenantId);
    const recent = await store.openWidgetConversation(salon.tenantId);
    await store.append(salon.tenantId, idle.conversationId, [{ type: "message", text: "Hello" }]);
    const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
    await db.prisma.webchatConversation.update({ where: { tenantId_id: { tenantId: salon.tenantId, id: idle.conversationId } }, data: { lastActiveAt: daysAgo(31) } });
    await db.prisma.webchatConversation.update({ where: { tenantId_id: { tenantId: salon.tenantId, id: recent.conversationId } }, data: { lastActiveAt: daysAgo(29) } });
    await until(async () => (await store.get(salon.tenantId, idle.conversationId)) === null, "the prune job");
    expect(await store.get(salon.tenantId, recent.conversationId)).not.toBeNull();
    expect(await db.prisma.webchatActivity.count({ where: { tenantId: salon.tenantId, conversationId: idle.conversationId } })).toBe(0);
  });

  it("keeps Agenda's jobs in the schema agenda, one row per recurring job", async () => {
    const jobs = await db.prisma.$queryRaw<{ name: string; type: string }[]>`SELECT name, type FROM agenda.agenda_jobs ORDER BY name`;
    expect(jobs).toEqual([...JOB_NAMES].sort().map((name) => ({ name, type: "single" })));
    const publicTables = await db.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'agenda%'`;
    expect(Number(publicTables[0]!.n)).toBe(0);
    expect(lines.filter((l) => /error/i.test(l))).toEqual([]);
  });
});
