/**
 * Reminder delivery benchmark: 10,000 reminders due in the same minute across 50 salons, delivered
 * by the job worker (the same runtime `npm start` runs: NOTIFY-woken delivery loop + Agenda) to a
 * fake provider on 127.0.0.1. Prints the time from the wake-up until every reminder was handed to
 * the provider, the peak memory, and checks that none was lost or sent twice.
 *
 *   npm run bench:reminders                     # table
 *   npm run bench:reminders -- --json           # one JSON line
 *   npm run bench:reminders -- --salons 50 --per-salon 200 --workers 2
 *
 * `--workers N` (default 0) adds N worker processes (`npm run worker`'s entry with the fake
 * provider's senders) next to the in-process one. A fresh database is made on the PostgreSQL of
 * TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) and dropped at the end.
 * Exits 1 when a reminder was lost or sent twice, or when it took longer than 60 s.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { createCore } from "../core/src/index.js";
import { createTestDatabase, prepareTemplateDatabase } from "../core/src/testing/db.js";
import { createLogger } from "../bots/src/log.js";
import { startJobs } from "../bots/src/jobs/runtime.js";
import { FakeProvider, fakeProviderSenders } from "../bots/src/jobs/testing/fake-provider.js";
import { makeAllDue, seedDueReminders, wakeWorkers } from "../bots/src/jobs/testing/seed.js";

const args = process.argv.slice(2);
const json = args.includes("--json");
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
};
const salons = option("--salons", 50);
const perSalon = option("--per-salon", 200);
const extraWorkers = option("--workers", 0);
const lanes = option("--lanes", 2);
const batchSize = option("--batch", 200);
const concurrency = option("--concurrency", 32);
const GOAL_SECONDS = 60;
const DELIVERY = { batchSize, concurrency };
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("../bots/src/jobs/testing/worker-fixture.ts", import.meta.url));

const say = (line: string) => {
  if (!json) console.log(line);
};
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** Starts a worker process on the benchmark database; resolves once it runs. */
function startWorker(url: string, providerUrl: string, name: string, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=chairside-source", "--import", "tsx", FIXTURE], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      FAKE_PROVIDER_URL: providerUrl,
      WORKER_NAME: name,
      JOB_TUNING: JSON.stringify({ delivery: DELIVERY }),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("Chairside worker running") && resolve(child));
    child.on("exit", (code) => reject(new Error(`worker ${name} exited with ${code} before it was ready`)));
  });
}

async function main(): Promise<number> {
  const total = salons * perSalon;
  say(`Reminder delivery: ${total} reminders due in the same minute across ${salons} salons, Node ${process.version}`);
  await prepareTemplateDatabase();
  const db = await createTestDatabase({ poolSize: 20 });
  const provider = await FakeProvider.start();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "chairside-bench-"));
  const children: ChildProcess[] = [];
  let runtime: Awaited<ReturnType<typeof startJobs>> | undefined;
  try {
    const seedStart = performance.now();
    // Seeded not yet due, so that nothing goes before the clock starts.
    const seeded = await seedDueReminders(db.prisma, { salons, perSalon, now: new Date(), dueAt: new Date(Date.now() + 24 * 3_600_000) });
    say(`  seeded in ${round((performance.now() - seedStart) / 1000, 1)} s (salons, clients, bookings, outbox rows)`);

    const core = createCore(db.prisma);
    const log = createLogger({ level: "warn", scope: "bench" });
    runtime = await startJobs({ core, databaseUrl: db.url, senders: fakeProviderSenders(provider.url, "server", () => core.clock.now()), log, delivery: DELIVERY, deliveryLanes: lanes });
    for (let i = 0; i < extraWorkers; i++) children.push(await startWorker(db.url, provider.url, `worker-${i + 1}`, dataDir));

    // The clock starts when all reminders become due at once (as if their minute had come).
    const t0 = performance.now();
    await makeAllDue(db.prisma, new Date());
    await wakeWorkers(db.prisma);
    const deadline = Date.now() + 5 * 60_000;
    while (provider.accepted.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - t0) / 1000;

    // Every row sent in the database, each outbox id accepted exactly once by the provider.
    await new Promise((r) => setTimeout(r, 200));
    const sent = await db.prisma.outboxMessage.count({ where: { status: "sent" } });
    const duplicates = provider.duplicates.length;
    const lost = seeded.outboxIds.filter((id) => !provider.accepted.has(id)).length;
    const result = {
      reminders: total,
      salons,
      seconds: round(seconds, 2),
      duplicates,
      lost,
      peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    };
    if (json) console.log(JSON.stringify(result));
    else {
      say(`  handed to the provider: ${provider.accepted.size} of ${total} in ${result.seconds} s (${Math.round(total / seconds)} per second)`);
      say(`  workers: in-process${extraWorkers ? ` + ${extraWorkers} process(es)` : ""}; by sender: ${[...provider.byWorker].map(([w, n]) => `${w} ${n}`).join(", ")}`);
      say(`  rows marked sent: ${sent}; duplicates: ${duplicates}; lost: ${lost}`);
      say(`  peak RSS of this process: ${result.peakRssMb} MB`);
      say(`  goal: all within ${GOAL_SECONDS} s, none lost or doubled: ${duplicates === 0 && lost === 0 && seconds <= GOAL_SECONDS ? "met" : "NOT met"}`);
    }
    return duplicates === 0 && lost === 0 && sent === total && seconds <= GOAL_SECONDS ? 0 : 1;
  } finally {
    await Promise.all(children.map((child) => new Promise((resolve) => child.once("exit", resolve).kill("SIGTERM"))));
    await runtime?.stop();
    await provider.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
