/**
 * Real worker processes (the worker entry, runWorker, with the fake provider's senders) against one
 * PostgreSQL: exactly-once delivery with two workers, after kill -9 in the middle of a batch, and
 * through a provider that fails with 500s before it recovers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCore, type Core } from "@chairside/core";
import { createTestDatabase, type TestDatabase } from "@chairside/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeProvider } from "./testing/fake-provider.js";
import { seedDueReminders, wakeWorkers } from "./testing/seed.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./testing/worker-fixture.ts", import.meta.url));

/** Short leases and intervals so that recovery happens within a test. */
const TUNING = {
  delivery: { leaseMs: 1_500, batchSize: 20, concurrency: 4, backoffBaseMs: 200, jitter: 0 },
  everyMs: { "outbox:deliver": 500 },
  processEveryMs: 250,
};

interface Worker {
  name: string;
  process: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
}

describe("worker processes (real PostgreSQL, fake provider on 127.0.0.1)", () => {
  let db: TestDatabase;
  let core: Core;
  let provider: FakeProvider | undefined;
  let dataDir: string;
  const workers: Worker[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    core = createCore(db.prisma);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "chairside-worker-"));
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) if (w.process.exitCode === null && w.process.signalCode === null) w.process.kill("SIGKILL");
    await provider?.close();
    expect(provider?.reportErrors ?? []).toEqual([]);
    provider = undefined;
    rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  });

  /** Starts the worker entry as a child process; `ready` resolves on its start-up line. */
  function startWorker(name: string): Worker {
    const child = spawn(process.execPath, ["--conditions=chairside-source", "--import", "tsx", FIXTURE], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        FAKE_PROVIDER_URL: provider!.url,
        WORKER_NAME: name,
        JOB_TUNING: JSON.stringify(TUNING),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const ready = new Promise<void>((resolve, reject) => {
      const check = () => output.includes("Chairside worker running") && resolve();
      child.stdout!.on("data", check);
      void exited.then((code) => reject(new Error(`worker ${name} exited (${code}) before it was ready:\n${output}`)));
    });
    const worker = { name, process: child, ready, exited, output: () => output };
    workers.push(worker);
    return worker;
  }

  /**
   * The provider's "sent" status for each accepted message, carrying our outbox id back (WhatsApp's
   * biz_opaque_callback_data). Retried like a provider retries a webhook (a pooled connection may
   * have been cut by the test).
   */
  const reportSent = async ({ outboxId, providerMessageId }: { outboxId: string; providerMessageId: string }) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await core.notifications.applyDeliveryStatus({ channel: "fake", providerMessageId, status: "sent", outboxId });
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
      }
    }
  };
  const statusCounts = async () =>
    Object.fromEntries((await db.prisma.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } })).map((g) => [g.status, g._count._all]));
  const allSent = async (n: number) => (await db.prisma.outboxMessage.count({ where: { status: "sent" } })) === n;

  it("two workers and 500 due reminders: each is delivered exactly once", async () => {
    provider = await FakeProvider.start({ delayMs: 5, onAccepted: reportSent });
    const a = startWorker("A");
    const b = startWorker("B");
    await Promise.all([a.ready, b.ready]);
    const seeded = await seedDueReminders(db.prisma, { salons: 5, perSalon: 100, now: new Date() });
    await wakeWorkers(db.prisma);

    await provider.waitFor(() => allSent(500), 60_000, "500 sent reminders");
    expect(provider.duplicates).toEqual([]);
    expect([...provider.accepted.keys()].sort()).toEqual([...seeded.outboxIds].sort());
    expect(provider.byWorker.get("A")).toBeGreaterThan(0);
    expect(provider.byWorker.get("B")).toBeGreaterThan(0);
    expect(await statusCounts()).toEqual({ sent: 500 });
    expect(await db.prisma.outboxMessage.count({ where: { providerMessageId: null } })).toBe(0);

    a.process.kill("SIGTERM");
    b.process.kill("SIGTERM");
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }, 120_000);

  it("kill -9 in the middle of a batch: after a restart every reminder is delivered, none twice", async () => {
    provider = await FakeProvider.start({ delayMs: 10, onAccepted: reportSent });
    const first = startWorker("first");
    await first.ready;
    const seeded = await seedDueReminders(db.prisma, { salons: 3, perSalon: 100, now: new Date() });
    await wakeWorkers(db.prisma);

    // After 60 messages the provider takes messages but stops answering; then the worker dies.
    await provider.waitFor(() => provider!.accepted.size >= 60, 60_000, "60 accepted messages");
    provider.hold();
    await provider.waitFor(() => provider!.heldCount > 0, 10_000, "a message accepted but not answered");
    first.process.kill("SIGKILL");
    expect(await first.exited).toBeNull();
    const atCrash = await statusCounts();
    expect(atCrash.sending).toBeGreaterThan(0); // claimed by the dead worker: its batch was under way
    provider.release();

    const second = startWorker("second");
    await second.ready;
    await provider.waitFor(() => allSent(300), 60_000, "300 sent reminders");
    expect(provider.duplicates).toEqual([]);
    expect(provider.accepted.size).toBe(seeded.outboxIds.length);
    expect(await statusCounts()).toEqual({ sent: 300 });
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 120_000);

  it("without a status report carrying our id, only the messages in flight at the crash are sent again (the documented window)", async () => {
    provider = await FakeProvider.start({ delayMs: 5 });
    const first = startWorker("first");
    await first.ready;
    await seedDueReminders(db.prisma, { salons: 1, perSalon: 120, now: new Date() });
    await wakeWorkers(db.prisma);
    await provider.waitFor(() => provider!.accepted.size >= 40, 60_000, "40 accepted messages");
    provider.hold();
    await provider.waitFor(() => provider!.heldCount > 0, 10_000, "a message accepted but not answered");
    first.process.kill("SIGKILL");
    await first.exited;
    // In flight at the crash: accepted by the provider, still `sending` in the outbox.
    const sending = await db.prisma.outboxMessage.findMany({ where: { status: "sending" }, select: { id: true } });
    const inFlight = sending.map((r) => r.id).filter((id) => provider!.accepted.has(id));
    expect(inFlight.length).toBeGreaterThan(0);
    provider.release();

    const second = startWorker("second");
    await second.ready;
    await provider.waitFor(() => allSent(120), 60_000, "120 sent reminders");
    expect(provider.accepted.size).toBe(120);
    // Accepted by the provider but not committed by the dead worker, and nothing told us: each of
    // those is sent once more, and nothing else is.
    expect(provider.duplicates.sort()).toEqual(inFlight.sort());
    expect(inFlight.every((id) => provider!.accepted.get(id) === 2)).toBe(true);
    second.process.kill("SIGTERM");
    await second.exited;
  }, 120_000);

  it("survives its database connections being cut (a PostgreSQL restart) and delivers afterwards", async () => {
    provider = await FakeProvider.start({ onAccepted: reportSent });
    const worker = startWorker("A");
    await worker.ready;
    await db.prisma.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    await seedDueReminders(db.prisma, { salons: 1, perSalon: 50, now: new Date() });
    await wakeWorkers(db.prisma);
    await provider.waitFor(() => allSent(50), 60_000, "50 sent reminders");
    expect(provider.duplicates).toEqual([]);
    expect(worker.process.exitCode).toBeNull();
    worker.process.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  }, 120_000);

  it("a provider that fails with 500s, then recovers: nothing lost, nothing doubled, each refusal retried with backoff", async () => {
    provider = await FakeProvider.start({ onAccepted: reportSent });
    provider.failNext(150);
    const a = startWorker("A");
    const b = startWorker("B");
    await Promise.all([a.ready, b.ready]);
    const seeded = await seedDueReminders(db.prisma, { salons: 2, perSalon: 50, now: new Date() });
    await wakeWorkers(db.prisma);

    await provider.waitFor(() => allSent(100), 60_000, "100 sent reminders");
    expect(provider.refused).toBe(150);
    expect(provider.duplicates).toEqual([]);
    expect(provider.accepted.size).toBe(seeded.outboxIds.length);
    const rows = await db.prisma.outboxMessage.findMany({ select: { attempts: true, notBefore: true, nextAttemptAt: true, lastError: true, status: true } });
    // Every attempt was either refused (500) or accepted once.
    expect(rows.reduce((sum, r) => sum + r.attempts, 0)).toBe(100 + 150);
    const retried = rows.filter((r) => r.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    // A retried row waited at least the first backoff (200 ms) after its due time.
    expect(retried.every((r) => r.nextAttemptAt.getTime() - r.notBefore.getTime() >= 200)).toBe(true);
    expect(rows.every((r) => r.status === "sent" && r.lastError === null)).toBe(true);
    a.process.kill("SIGTERM");
    b.process.kill("SIGTERM");
    await Promise.all([a.exited, b.exited]);
  }, 120_000);
});
