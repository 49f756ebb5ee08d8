/**
 * Turns a benchmark workload (bench/workloads/*.json, produced by workload.mjs) into a `SlotQuery`
 * for the engine, and hashes a slot list the way the workload README does. Shared by the
 * benchmark and by the engine's checksum test.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { MinuteRange, SlotQuery, StaffSchedule, WeeklyRule } from "../core/src/availability/index.js";

/** Workload ids shipped in bench/workloads. */
export const WORKLOAD_IDS = ["W1", "W2", "W1x", "W2x"] as const;
/** One of the shipped workloads. */
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

interface WorkloadDays {
  days: number[]; // 0 = Sunday .. 6 = Saturday
  start: string; // "HH:MM" local
  end: string;
}
interface Workload {
  id: string;
  timeZone: string;
  mode: "single" | "any-staff-union";
  window: { startTime: string; endTime: string };
  service: {
    durationMinutes: number;
    slotStepMinutes: number;
    bufferBeforeMinutes: number;
    bufferAfterMinutes: number;
    minimumNoticeMinutes: number;
  };
  staff: {
    id: number;
    weeklyHours: WorkloadDays[];
    breaks: WorkloadDays[];
    dateOverrides: { date: string; ranges: { start: string; end: string }[] }[];
    timeOff: ({ date: string } | { start: string; end: string })[];
  }[];
  bookings: { staffId: number; start: string; end: string; bufferBeforeMinutes: number; bufferAfterMinutes: number }[];
}

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
};

const weekly = (rules: WorkloadDays[]): WeeklyRule[] =>
  rules.flatMap((r) =>
    r.days.map((d) => ({ weekday: d === 0 ? 7 : d, startMinute: minutes(r.start), endMinute: minutes(r.end) })),
  );

/** Reads bench/workloads/<id>.json. */
export function loadWorkload(id: WorkloadId): Workload {
  const url = new URL(`./workloads/${id}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Workload;
}

/** The engine query for a workload: now = from = window start, to = window end. */
export function workloadToQuery(w: Workload): SlotQuery {
  const staff: StaffSchedule[] = w.staff.map((s) => {
    const overrides: Record<string, MinuteRange[]> = {};
    for (const o of s.dateOverrides) {
      overrides[o.date] = o.ranges.map((r) => ({ startMinute: minutes(r.start), endMinute: minutes(r.end) }));
    }
    const timeOff: { start: number; end: number }[] = [];
    for (const t of s.timeOff) {
      if ("date" in t) overrides[t.date] = []; // a whole local date off = closed that date
      else timeOff.push({ start: Date.parse(t.start), end: Date.parse(t.end) });
    }
    return {
      staffId: String(s.id),
      weekly: weekly(s.weeklyHours),
      breaks: weekly(s.breaks),
      overrides,
      timeOff,
      bookings: w.bookings
        .filter((b) => b.staffId === s.id)
        .map((b) => ({
          start: Date.parse(b.start),
          end: Date.parse(b.end),
          bufferBeforeMinutes: b.bufferBeforeMinutes,
          bufferAfterMinutes: b.bufferAfterMinutes,
        })),
    };
  });
  const from = Date.parse(w.window.startTime);
  return {
    timeZone: w.timeZone,
    from,
    to: Date.parse(w.window.endTime),
    now: from,
    minimumNoticeMinutes: w.service.minimumNoticeMinutes,
    durationMinutes: w.service.durationMinutes,
    stepMinutes: w.service.slotStepMinutes,
    bufferBeforeMinutes: w.service.bufferBeforeMinutes,
    bufferAfterMinutes: w.service.bufferAfterMinutes,
    staff,
  };
}

/** sha256 (hex) over the sorted, de-duplicated UTC ISO starts joined by "\n" (no trailing newline). */
export function slotChecksum(starts: readonly number[]): string {
  const unique = Array.from(new Set(starts)).sort((a, b) => a - b);
  const text = unique.map((t) => new Date(t).toISOString()).join("\n");
  return createHash("sha256").update(text).digest("hex");
}
