/**
 * Slot engine benchmark: runs `computeSlots` on the four shipped workloads and checks each result
 * against the expected checksum (bench/expected.json, from the workload README).
 *
 *   npm run bench:slots               # table
 *   npm run bench:slots -- --json     # one JSON object per line
 *   npm run bench:slots -- --runs 200 # timed runs per workload (default 100, minimum 50)
 *
 * Only `computeSlots` is timed; reading and adapting the JSON happens once, before. Exits 1 when a
 * checksum does not match.
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { computeSlots } from "../core/src/availability/index.js";
import { WORKLOAD_IDS, loadWorkload, slotChecksum, workloadToQuery } from "./workload-adapter.js";

const expected = JSON.parse(readFileSync(new URL("./expected.json", import.meta.url), "utf8")) as Record<
  string,
  { slots: number; sha256: string }
>;

const args = process.argv.slice(2);
const json = args.includes("--json");
const runsIdx = args.indexOf("--runs");
const runs = Math.max(50, runsIdx >= 0 ? Number(args[runsIdx + 1]) || 0 : 100);
const WARMUP = 20;

const quantile = (sorted: number[], q: number): number => {
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
};
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

let failed = false;
if (!json) console.log(`computeSlots, ${runs} timed runs after ${WARMUP} warm-up runs, Node ${process.version}`);

for (const id of WORKLOAD_IDS) {
  const query = workloadToQuery(loadWorkload(id));
  let slots = computeSlots(query);
  for (let i = 0; i < WARMUP; i++) slots = computeSlots(query);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    slots = computeSlots(query);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const sha256 = slotChecksum(slots.map((s) => s.start));
  const matches = sha256 === expected[id]?.sha256;
  if (!matches) failed = true;
  const row = {
    workload: id,
    medianMs: round(quantile(times, 0.5), 3),
    p95Ms: round(quantile(times, 0.95), 3),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1), // maxRSS is in KiB; process-wide peak so far
    slots: slots.length,
    sha256,
    matches,
  };
  if (json) console.log(JSON.stringify(row));
  else {
    console.log(
      `${id.padEnd(4)} median ${row.medianMs.toFixed(3).padStart(8)} ms  p95 ${row.p95Ms.toFixed(3).padStart(8)} ms  ` +
        `peak RSS ${row.peakRssMb.toFixed(1)} MB  slots ${String(row.slots).padStart(5)}  ` +
        `sha256 ${sha256.slice(0, 16)}…  ${matches ? "matches" : `MISMATCH (expected ${expected[id]?.sha256})`}`,
    );
  }
}

if (failed) {
  console.error("bench:slots: a checksum does not match the expected slot list");
  process.exit(1);
}
