/**
 * Interval algebra for availability, on plain numbers (epoch ms or minutes), plus the one place
 * where local wall-clock time becomes UTC.
 *
 * Convention: every range is HALF-OPEN, `[start, end)`, with `start < end`. Two ranges that touch
 * (`a.end === b.start`) merge into one, so an appointment may end exactly where a booking starts,
 * and working hours 09:00-13:00 + 13:00-17:00 are one continuous interval. A "normalized" list is
 * sorted by start, non-empty ranges only, no overlaps and no touching neighbours; `mergeRanges`
 * produces one, and `intersectRanges` / `subtractRanges` take and return normalized lists.
 *
 * Time-zone rules (see `ZoneTimeline.wallToUtc`):
 * - a wall time that does not exist (spring-forward gap) snaps to the instant the gap ends, i.e. the
 *   first instant whose wall time is later than it; a range is the set of instants between its
 *   converted endpoints, so a range across the gap keeps only the real time (01:00-04:00 local on
 *   2027-03-28 in Europe/Copenhagen is 00:00Z-02:00Z, two real hours, one continuous interval);
 * - a wall time that occurs twice (autumn fold) resolves to its first occurrence, the earlier
 *   (pre-transition) offset: 02:30 on 2027-10-31 in Europe/Copenhagen is 00:30Z, not 01:30Z.
 *   So 00:00-06:00 that day is 22:00Z-05:00Z (seven real hours, the repeated hour included).
 *
 * Pure: no clock, no environment. Zone offsets come from luxon (ICU tz data).
 */
import { IANAZone } from "luxon";
import { DomainError } from "../errors.js";

/** A half-open numeric range `[start, end)`; units are the caller's (epoch ms here, unless noted). */
export interface Range {
  start: number;
  end: number;
}

const MINUTE_MS = 60_000;
/** Milliseconds in a 24-hour wall-clock day (wall-clock arithmetic ignores DST by construction). */
export const DAY_MS = 86_400_000;

/** Ranges ordered by start, then end. Returns a new array; the input is not modified. */
export function sortRanges<R extends Range>(ranges: readonly R[]): R[] {
  return ranges.slice().sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Normalizes `ranges`: sorts them, drops empty ones, and merges overlapping or touching ranges.
 * Returns new objects; the input is not modified. Skips the sort when the input is already sorted.
 */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  let sorted = true;
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.start < ranges[i - 1]!.start) {
      sorted = false;
      break;
    }
  }
  const input = sorted ? ranges : sortRanges(ranges);
  const out: Range[] = [];
  let cur: Range | undefined;
  for (const r of input) {
    if (!(r.start < r.end)) continue;
    if (cur !== undefined && r.start <= cur.end) {
      if (r.end > cur.end) cur.end = r.end;
    } else {
      cur = { start: r.start, end: r.end };
      out.push(cur);
    }
  }
  return out;
}

/** Intersection of two normalized lists (linear sweep). Result is normalized. */
export function intersectRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = x.start > y.start ? x.start : y.start;
    const end = x.end < y.end ? x.end : y.end;
    if (start < end) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** `a` minus `b`, both normalized (linear sweep). Result is normalized. */
export function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const x of a) {
    let start = x.start;
    const end = x.end;
    // Skip blocks that end before this range starts (touching does not block: half-open).
    while (j < b.length && b[j]!.end <= start) j++;
    let k = j;
    while (k < b.length && b[k]!.start < end) {
      const blk = b[k]!;
      if (blk.start > start) out.push({ start, end: blk.start });
      if (blk.end > start) start = blk.end;
      if (start >= end) break;
      k++;
    }
    if (start < end) out.push({ start, end });
  }
  return out;
}

/** Ranges of a normalized list cut to `[from, to)`; empty pieces are dropped. */
export function clipRanges(ranges: readonly Range[], from: number, to: number): Range[] {
  const out: Range[] = [];
  for (const r of ranges) {
    const start = r.start > from ? r.start : from;
    const end = r.end < to ? r.end : to;
    if (start < end) out.push({ start, end });
  }
  return out;
}

/**
 * Epoch day (days since 1970-01-01) of a local calendar date "YYYY-MM-DD".
 * @throws DomainError invalid_input when the string is not a real calendar date.
 */
export function epochDayOf(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const ms = Date.UTC(y, mo - 1, d);
    const check = new Date(ms);
    if (check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d) {
      return ms / DAY_MS;
    }
  }
  throw new DomainError("invalid_input", `Not a calendar date (YYYY-MM-DD): "${date}"`, { date });
}

/** "YYYY-MM-DD" of an epoch day (inverse of `epochDayOf`). */
export function dateOfEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday .. 7 = Sunday) of an epoch day; 1970-01-01 was a Thursday. */
export function isoWeekdayOfEpochDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * The UTC offsets of one IANA zone over a bounded span of time, as constant-offset segments.
 * Built once per query with a handful of zone lookups; every conversion after that is arithmetic,
 * which is what keeps slot computation fast (luxon/Intl offset lookups cost microseconds each).
 *
 * "Wall ms" below means a local wall-clock time written as if it were UTC:
 * `epochDay * DAY_MS + minuteOfDay * 60_000`.
 */
export class ZoneTimeline {
  /** segStarts[i] = first instant of segment i (segStarts[0] = -Infinity), ascending. */
  private readonly segStarts: number[];
  /** offsets[i] = UTC offset of segment i in ms (local = utc + offset). */
  private readonly offsets: number[];

  private constructor(segStarts: number[], offsets: number[]) {
    this.segStarts = segStarts;
    this.offsets = offsets;
  }

  /**
   * Samples `timeZone` over `[from, to]` (epoch ms) and finds each offset change to the minute.
   * Outside the span the first/last offset is assumed. Assumes at most one offset change per 12
   * hours, which holds for every zone in the tz database.
   * @throws DomainError invalid_input for an unknown zone or a non-finite span.
   */
  static create(timeZone: string, from: number, to: number): ZoneTimeline {
    const zone = IANAZone.create(timeZone);
    if (!zone.isValid) {
      throw new DomainError("invalid_input", `Unknown IANA time zone "${timeZone}"`, { timeZone });
    }
    if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
      throw new DomainError("invalid_input", "Time-zone span must be finite with from <= to", { from, to });
    }
    const offsetAt = (ms: number): number => zone.offset(ms) * MINUTE_MS;
    const STEP = DAY_MS / 2;
    const segStarts = [-Infinity];
    const offsets = [offsetAt(from)];
    let prevT = from;
    let prevOff = offsets[0]!;
    for (let t = from; t < to + STEP; ) {
      t = Math.min(t + STEP, to);
      const off = offsetAt(t);
      if (off !== prevOff) {
        // Bisect (in whole minutes) for the first instant with the new offset.
        let lo = Math.floor(prevT / MINUTE_MS);
        let hi = Math.ceil(t / MINUTE_MS);
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (offsetAt(mid * MINUTE_MS) === prevOff) lo = mid;
          else hi = mid;
        }
        segStarts.push(hi * MINUTE_MS);
        offsets.push(off);
        prevOff = off;
      }
      prevT = t;
      if (t >= to) break;
    }
    return new ZoneTimeline(segStarts, offsets);
  }

  /** Number of constant-offset segments (1 when no change in the span). */
  get segmentCount(): number {
    return this.offsets.length;
  }

  /** Index of the segment containing instant `t`. */
  segmentIndex(t: number): number {
    const s = this.segStarts;
    let i = s.length - 1;
    while (i > 0 && s[i]! > t) i--;
    return i;
  }

  /** UTC offset in ms of segment `i`. */
  segmentOffset(i: number): number {
    return this.offsets[i]!;
  }

  /** First instant after segment `i` (Infinity for the last segment). */
  segmentEnd(i: number): number {
    return this.segStarts[i + 1] ?? Infinity;
  }

  /** UTC offset in ms at instant `t`. */
  offsetAt(t: number): number {
    return this.offsets[this.segmentIndex(t)]!;
  }

  /** Epoch day of the local calendar date containing instant `t`. */
  localEpochDay(t: number): number {
    return Math.floor((t + this.offsetAt(t)) / DAY_MS);
  }

  /**
   * The instant of wall time `wall` (wall ms). Fold (wall time occurs twice): the first
   * occurrence (earlier offset). Gap (wall time does not exist): the instant the gap ends, which is
   * the first instant whose wall time is later than `wall`.
   */
  wallToUtc(wall: number): number {
    const s = this.segStarts;
    const o = this.offsets;
    for (let i = 0; i < o.length; i++) {
      const t = wall - o[i]!;
      if (t < s[i]!) return s[i]!; // passed a gap: wall lies between two segments
      if (t < (s[i + 1] ?? Infinity)) return t;
    }
    // Unreachable: the last segment is unbounded.
    return wall - o[o.length - 1]!;
  }

  /**
   * Local minute ranges of one calendar date as UTC instants (see `wallToUtc` for DST days).
   * `ranges` hold minutes after local midnight (0..1440); ranges that collapse to nothing (wholly
   * inside a spring gap) are dropped. Output is in the order of the input.
   */
  dayRangesToUtc(epochDay: number, ranges: readonly Range[], out: Range[] = []): Range[] {
    const base = epochDay * DAY_MS;
    for (const r of ranges) {
      const start = this.wallToUtc(base + r.start * MINUTE_MS);
      const end = this.wallToUtc(base + r.end * MINUTE_MS);
      if (start < end) out.push({ start, end });
    }
    return out;
  }
}
