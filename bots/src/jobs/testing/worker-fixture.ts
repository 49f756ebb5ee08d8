/**
 * The worker entry (runWorker of bots/src/jobs/worker.ts) with the fake provider's senders, for
 * the multi-process tests and the benchmark. Reads FAKE_PROVIDER_URL, WORKER_NAME and JOB_TUNING
 * (JSON: delivery, everyMs, processEveryMs) besides the usual configuration (DATABASE_URL).
 *
 *   node --conditions=chairside-source --import tsx bots/src/jobs/testing/worker-fixture.ts
 */
import { runWorker } from "../worker.js";
import { fakeProviderSenders } from "./fake-provider.js";

const url = process.env.FAKE_PROVIDER_URL;
const name = process.env.WORKER_NAME ?? `fixture-${process.pid}`;
if (!url) {
  process.stderr.write("FAKE_PROVIDER_URL is not set\n");
  process.exit(1);
}
const tuning = JSON.parse(process.env.JOB_TUNING ?? "{}") as Record<string, unknown>;
runWorker(process.env, process.cwd(), {
  senders: ({ core }) => fakeProviderSenders(url, name, () => core.clock.now()),
  jobs: { ...tuning, name },
}).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${String((e as Error)?.stack ?? e)}\n`);
    process.exit(1);
  },
);
