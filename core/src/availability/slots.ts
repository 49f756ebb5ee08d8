/**
 * The pure slot engine: working hours, breaks, date overrides, time off and bookings in, bookable
 * start instants out. No clock, no environment, no database: everything arrives in `SlotQuery`.
 *
 * Pipeline per staff member: local open ranges per date (weekly minus breaks, or the date's
 * override) → UTC via one `ZoneTimeline` per query → merge → minus blocked time (bookings and time
 * off, widened by buffers) → clip to the window → starts on the local step grid. Any-staff mode is
 * the union of the staff members' starts, each slot listing who is free.
 *
 * Buffer rule (Cal.com `getBusyTimes`): a booking blocks
 * `[start - (booking.bufferBefore + service.bufferAfter), end + (booking.bufferAfter + service.bufferBefore)]`,
 * time off blocks `[start - service.bufferAfter, end + service.bufferBefore]`. The new appointment's
 * own buffers need not fit inside open time. DST rules: see `date-ranges.ts`.
 */
import { DomainError } from "../errors.js";
import {
  DAY_MS,
  ZoneTimeline,
  clipRanges,
  epochDayOf,
  isoWeekdayOfEpochDay,
  mergeRanges,
  subtractRanges,
  type Range,
} from "./date-ranges.js";

/** Local wall-clock range: minutes after local midnight, 0..1440, start < end. */
export interface MinuteRange {
  startMinute: number;
  endMinute: number;
}

/** A weekly recurring local range on one ISO weekday (1 = Monday .. 7 = Sunday). */
export interface WeeklyRule extends MinuteRange {
  weekday: number;
}

/** An existing booking (or hold) of a staff member: epoch ms, half-open, with its own buffers in minutes. */
export interface BlockedBooking {
  start: number;
  end: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/** Everything that decides when one staff member is free. */
export interface StaffSchedule {
  staffId: string;
  /** Working hours. */
  weekly: WeeklyRule[];
  /** Subtracted from working hours. */
  breaks: WeeklyRule[];
  /** "YYYY-MM-DD" local date -> ranges; REPLACES weekly AND breaks that date; [] = closed all day. */
  overrides: Record<string, MinuteRange[]>;
  /** Blocked time, epoch ms. */
  timeOff: { start: number; end: number }[];
  /** Existing active bookings (and holds). */
  bookings: BlockedBooking[];
}

/** Input of `computeSlots`. Instants are epoch ms; durations and buffers are minutes. */
export interface SlotQuery {
  /** IANA zone of the salon; wall-clock rules and the step grid are local to it. */
  timeZone: string;
  /** Window start (inclusive). */
  from: number;
  /** Window end: a slot's end must be <= to. */
  to: number;
  now: number;
  minimumNoticeMinutes: number;
  durationMinutes: number;
  /** Slot grid on LOCAL wall-clock: a start's local minutes after midnight % step == 0. */
  stepMinutes: number;
  /** Buffers of the service being booked. */
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  staff: StaffSchedule[];
}

/** A bookable start: staff (in `q.staff` order) free for `[start, start + duration]`. */
export interface Slot {
  start: number;
  staffIds: string[];
}

const MINUTE_MS = 60_000;

/**
 * Bookable slots for `q`, sorted by start; each lists the staff members free then (in `q.staff`
 * order). A start t qualifies iff it is on the local step grid, t >= from, t >= now + notice, and
 * `[t, t + duration]` lies inside one free interval of that staff member (open time minus blocked
 * time, clipped to `[from, to]`). Touching intervals are one interval, so a slot may span a
 * break-free midnight or a DST change.
 * To test a single start `t`, call with `from = t` and `to = t + duration`.
 * @throws DomainError invalid_input for an unknown zone, bad numbers, bad ranges or override dates.
 */
export function computeSlots(q: SlotQuery): Slot[] {
  validateQuery(q);
  const durMs = q.durationMinutes * MINUTE_MS;
  if (q.to - q.from < durMs || q.staff.length === 0) return [];
  const minStart = Math.max(q.from, q.now + q.minimumNoticeMinutes * MINUTE_MS);
  if (q.to - minStart < durMs) return [];

  const timeline = ZoneTimeline.create(q.timeZone, q.from - 2 * DAY_MS, q.to + 2 * DAY_MS);
  const firstDay = timeline.localEpochDay(q.from);
  const lastDay = timeline.localEpochDay(q.to);
  const grid = new LocalGrid(timeline, q.stepMinutes);

  const perStaff: number[][] = [];
  for (const staff of q.staff) {
    const free = staffFreeRanges(staff, q, timeline, firstDay, lastDay);
    perStaff.push(grid.startsIn(free, minStart, durMs));
  }
  return unionSlots(q.staff, perStaff);
}

/**
 * Free time of one staff member inside `[q.from, q.to)` as normalized UTC ranges: open time
 * (weekly minus breaks, or the override) minus bookings and time off widened by buffers.
 */
export function staffFreeRanges(
  staff: StaffSchedule,
  q: Pick<SlotQuery, "from" | "to" | "bufferBeforeMinutes" | "bufferAfterMinutes">,
  timeline: ZoneTimeline,
  firstDay: number,
  lastDay: number,
): Range[] {
  const byWeekday = weekdayOpenMinutes(staff);
  const overrides = new Map<number, Range[]>();
  for (const [date, ranges] of Object.entries(staff.overrides)) {
    overrides.set(epochDayOf(date), mergeRanges(ranges.map(toMinuteRange)));
  }

  const open: Range[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const ranges = overrides.get(day) ?? byWeekday[isoWeekdayOfEpochDay(day)]!;
    timeline.dayRangesToUtc(day, ranges, open);
  }

  const svcBefore = q.bufferBeforeMinutes * MINUTE_MS;
  const svcAfter = q.bufferAfterMinutes * MINUTE_MS;
  const blocked: Range[] = [];
  for (const b of staff.bookings) {
    blocked.push({
      start: b.start - b.bufferBeforeMinutes * MINUTE_MS - svcAfter,
      end: b.end + b.bufferAfterMinutes * MINUTE_MS + svcBefore,
    });
  }
  for (const t of staff.timeOff) blocked.push({ start: t.start - svcAfter, end: t.end + svcBefore });

  const free = subtractRanges(mergeRanges(open), mergeRanges(blocked));
  return clipRanges(free, q.from, q.to);
}

/** Open local minute ranges per ISO weekday (index 1..7): weekly rules minus breaks, normalized. */
function weekdayOpenMinutes(staff: StaffSchedule): Range[][] {
  const out: Range[][] = [];
  for (let wd = 0; wd <= 7; wd++) {
    const work = staff.weekly.filter((r) => r.weekday === wd).map(toMinuteRange);
    const breaks = staff.breaks.filter((r) => r.weekday === wd).map(toMinuteRange);
    out.push(subtractRanges(mergeRanges(work), mergeRanges(breaks)));
  }
  return out;
}

function toMinuteRange(r: MinuteRange): Range {
  return { start: r.startMinute, end: r.endMinute };
}

/**
 * The local step grid: instants whose local minutes after midnight are a multiple of the step.
 * Works per constant-offset segment of the timeline, so a grid stays local across DST changes
 * and in zones such as Asia/Kolkata (+05:30) whose local grid is not the UTC grid.
 */
class LocalGrid {
  private readonly stepMs: number;
  /** Whether consecutive grid points are always exactly one step apart within one offset segment. */
  private readonly dividesDay: boolean;

  constructor(
    private readonly timeline: ZoneTimeline,
    stepMinutes: number,
  ) {
    this.stepMs = stepMinutes * MINUTE_MS;
    this.dividesDay = DAY_MS % this.stepMs === 0;
  }

  /** First grid instant >= t. */
  nextAtOrAfter(t: number): number {
    for (;;) {
      const seg = this.timeline.segmentIndex(t);
      const off = this.timeline.segmentOffset(seg);
      const wall = t + off;
      const dayStart = Math.floor(wall / DAY_MS) * DAY_MS;
      const g = Math.ceil((wall - dayStart) / this.stepMs) * this.stepMs;
      const candidate = (g >= DAY_MS ? dayStart + DAY_MS : dayStart + g) - off;
      const segEnd = this.timeline.segmentEnd(seg);
      if (candidate < segEnd) return candidate;
      t = segEnd;
    }
  }

  /** Grid starts t >= minStart with [t, t + durMs] inside one of the normalized `free` ranges. */
  startsIn(free: readonly Range[], minStart: number, durMs: number): number[] {
    const out: number[] = [];
    const step = this.stepMs;
    for (const r of free) {
      const last = r.end - durMs;
      let t = this.nextAtOrAfter(r.start > minStart ? r.start : minStart);
      while (t <= last) {
        out.push(t);
        // Fast path: same offset segment and a day-dividing step => next point is one step on.
        const next = t + step;
        if (this.dividesDay && next < this.timeline.segmentEnd(this.timeline.segmentIndex(t))) t = next;
        else t = this.nextAtOrAfter(t + 1);
      }
    }
    return out;
  }
}

/** Merges sorted per-staff start lists into slots, staffIds in `staff` order. */
function unionSlots(staff: readonly StaffSchedule[], perStaff: readonly number[][]): Slot[] {
  if (perStaff.length === 1) {
    const id = staff[0]!.staffId;
    return perStaff[0]!.map((start) => ({ start, staffIds: [id] }));
  }
  const byStart = new Map<number, string[]>();
  perStaff.forEach((starts, k) => {
    const id = staff[k]!.staffId;
    for (const start of starts) {
      const ids = byStart.get(start);
      if (ids) ids.push(id);
      else byStart.set(start, [id]);
    }
  });
  const keys = Array.from(byStart.keys()).sort((a, b) => a - b);
  return keys.map((start) => ({ start, staffIds: byStart.get(start)! }));
}

function invalid(message: string, details: Record<string, unknown>): never {
  throw new DomainError("invalid_input", `computeSlots: ${message}`, details);
}

function checkMinuteRange(r: MinuteRange, what: string, staffId: string): void {
  if (
    !Number.isInteger(r.startMinute) ||
    !Number.isInteger(r.endMinute) ||
    r.startMinute < 0 ||
    r.endMinute > 1440 ||
    r.startMinute >= r.endMinute
  ) {
    invalid(`${what} must be integer minutes with 0 <= start < end <= 1440`, { staffId, range: r });
  }
}

function validateQuery(q: SlotQuery): void {
  for (const k of ["from", "to", "now"] as const) {
    if (!Number.isFinite(q[k])) invalid(`${k} must be a finite epoch ms`, { [k]: q[k] });
  }
  if (!Number.isInteger(q.durationMinutes) || q.durationMinutes <= 0) {
    invalid("durationMinutes must be a positive integer", { durationMinutes: q.durationMinutes });
  }
  if (!Number.isInteger(q.stepMinutes) || q.stepMinutes <= 0 || q.stepMinutes > 1440) {
    invalid("stepMinutes must be an integer in 1..1440", { stepMinutes: q.stepMinutes });
  }
  for (const k of ["minimumNoticeMinutes", "bufferBeforeMinutes", "bufferAfterMinutes"] as const) {
    if (!Number.isFinite(q[k]) || q[k] < 0) invalid(`${k} must be >= 0`, { [k]: q[k] });
  }
  for (const s of q.staff) {
    for (const r of s.weekly) {
      checkMinuteRange(r, "weekly range", s.staffId);
      if (!Number.isInteger(r.weekday) || r.weekday < 1 || r.weekday > 7) {
        invalid("weekday must be 1 (Monday)..7 (Sunday)", { staffId: s.staffId, rule: r });
      }
    }
    for (const r of s.breaks) {
      checkMinuteRange(r, "break", s.staffId);
      if (!Number.isInteger(r.weekday) || r.weekday < 1 || r.weekday > 7) {
        invalid("weekday must be 1 (Monday)..7 (Sunday)", { staffId: s.staffId, rule: r });
      }
    }
    for (const ranges of Object.values(s.overrides)) {
      for (const r of ranges) checkMinuteRange(r, "override range", s.staffId);
    }
  }
}
