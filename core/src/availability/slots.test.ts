import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WORKLOAD_IDS, loadWorkload, slotChecksum, workloadToQuery } from "../../../bench/workload-adapter.js";
import { DomainError } from "../errors.js";
import { computeSlots, type MinuteRange, type SlotQuery, type StaffSchedule, type WeeklyRule } from "./slots.js";

const ms = (s: string) => Date.parse(s);
const min = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
};
/** Local range "HH:MM"-"HH:MM" ("24:00" allowed). */
const range = (start: string, end: string): MinuteRange => ({ startMinute: min(start), endMinute: min(end) });
/** ISO weekday 1 = Monday .. 7 = Sunday. */
const rule = (weekday: number, start: string, end: string): WeeklyRule => ({ weekday, ...range(start, end) });

function staff(staffId: string, s: Partial<Omit<StaffSchedule, "staffId">> = {}): StaffSchedule {
  return { staffId, weekly: [], breaks: [], overrides: {}, timeOff: [], bookings: [], ...s };
}

/** A query over [from, to] (UTC ISO), now = from, no notice, no buffers, 60-minute slots on a 60-minute grid. */
function query(from: string, to: string, staffList: StaffSchedule[], q: Partial<SlotQuery> = {}): SlotQuery {
  return {
    timeZone: "Europe/Copenhagen",
    from: ms(from),
    to: ms(to),
    now: ms(from),
    minimumNoticeMinutes: 0,
    durationMinutes: 60,
    stepMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    staff: staffList,
    ...q,
  };
}

const starts = (q: SlotQuery) => computeSlots(q).map((s) => new Date(s.start).toISOString());
const withStaff = (q: SlotQuery) => computeSlots(q).map((s) => [new Date(s.start).toISOString(), s.staffIds]);

// Copenhagen in February is UTC+1: local 09:00 = 08:00Z. 2027-02-01 is a Monday.
const MON_FEB_1 = ["2027-01-31T23:00:00Z", "2027-02-01T23:00:00Z"] as const;

describe("computeSlots: a plain day", () => {
  it("cuts working hours into slots on the step grid; the last slot ends at closing", () => {
    const q = query(...MON_FEB_1, [staff("a", { weekly: [rule(1, "09:00", "12:00")] })]);
    expect(starts(q)).toEqual(["2027-02-01T08:00:00.000Z", "2027-02-01T09:00:00.000Z", "2027-02-01T10:00:00.000Z"]);
    expect(computeSlots(q)[0]).toEqual({ start: ms("2027-02-01T08:00:00Z"), staffIds: ["a"] });
  });

  it("has no slots on a day without working hours", () => {
    const q = query("2027-02-06T23:00:00Z", "2027-02-07T23:00:00Z", [staff("a", { weekly: [rule(1, "09:00", "12:00")] })]);
    expect(starts(q)).toEqual([]);
  });

  it("uses step 15 and step 30 on the local grid", () => {
    const s = [staff("a", { weekly: [rule(1, "09:00", "10:30")] })];
    expect(starts(query(...MON_FEB_1, s, { durationMinutes: 45, stepMinutes: 15 }))).toEqual([
      "2027-02-01T08:00:00.000Z",
      "2027-02-01T08:15:00.000Z",
      "2027-02-01T08:30:00.000Z",
      "2027-02-01T08:45:00.000Z",
    ]);
    expect(starts(query(...MON_FEB_1, s, { durationMinutes: 45, stepMinutes: 30 }))).toEqual([
      "2027-02-01T08:00:00.000Z",
      "2027-02-01T08:30:00.000Z",
    ]);
  });

  it("counts the grid in minutes after local midnight (step 45), not minutes of the hour", () => {
    const q = query(...MON_FEB_1, [staff("a", { weekly: [rule(1, "09:10", "12:00")] })], {
      durationMinutes: 30,
      stepMinutes: 45,
    });
    // 09:45 (585) and 10:30 (630), 11:15 (675): multiples of 45 after midnight.
    expect(starts(q)).toEqual(["2027-02-01T08:45:00.000Z", "2027-02-01T09:30:00.000Z", "2027-02-01T10:15:00.000Z"]);
  });
});

describe("computeSlots: breaks and date overrides", () => {
  const weekly = [rule(1, "09:00", "13:00")];
  const breaks = [rule(1, "10:00", "11:00")];

  it("subtracts breaks from working hours", () => {
    const q = query(...MON_FEB_1, [staff("a", { weekly, breaks })], { stepMinutes: 30 });
    expect(starts(q)).toEqual([
      "2027-02-01T08:00:00.000Z",
      "2027-02-01T10:00:00.000Z",
      "2027-02-01T10:30:00.000Z",
      "2027-02-01T11:00:00.000Z",
    ]);
  });

  it("an override shortens a day and replaces its breaks", () => {
    const q = query(...MON_FEB_1, [staff("a", { weekly, breaks, overrides: { "2027-02-01": [range("09:30", "12:00")] } })], {
      stepMinutes: 30,
    });
    expect(starts(q)).toEqual([
      "2027-02-01T08:30:00.000Z",
      "2027-02-01T09:00:00.000Z",
      "2027-02-01T09:30:00.000Z",
      "2027-02-01T10:00:00.000Z",
    ]);
  });

  it("an override opens a day without weekly hours (Sunday 2027-02-07)", () => {
    const q = query("2027-02-06T23:00:00Z", "2027-02-07T23:00:00Z", [
      staff("a", { weekly, overrides: { "2027-02-07": [range("10:00", "12:00"), range("14:00", "15:00")] } }),
    ]);
    expect(starts(q)).toEqual(["2027-02-07T09:00:00.000Z", "2027-02-07T10:00:00.000Z", "2027-02-07T13:00:00.000Z"]);
  });

  it("an empty override closes the day and leaves the other days alone", () => {
    const q = query("2027-01-31T23:00:00Z", "2027-02-08T23:00:00Z", [
      staff("a", { weekly: [rule(1, "09:00", "10:00")], overrides: { "2027-02-01": [] } }),
    ]);
    expect(starts(q)).toEqual(["2027-02-08T08:00:00.000Z"]);
  });
});

describe("computeSlots: time off, bookings and buffers", () => {
  const weekly = [rule(1, "09:00", "13:00")]; // 08:00Z-12:00Z

  it("partial time off blocks its hours", () => {
    const q = query(...MON_FEB_1, [
      staff("a", { weekly, timeOff: [{ start: ms("2027-02-01T09:00:00Z"), end: ms("2027-02-01T10:00:00Z") }] }),
    ]);
    expect(starts(q)).toEqual(["2027-02-01T08:00:00.000Z", "2027-02-01T10:00:00.000Z", "2027-02-01T11:00:00.000Z"]);
  });

  it("full-day time off blocks the day", () => {
    const q = query("2027-01-31T23:00:00Z", "2027-02-08T23:00:00Z", [
      staff("a", {
        weekly: [rule(1, "09:00", "10:00")],
        timeOff: [{ start: ms("2027-01-31T23:00:00Z"), end: ms("2027-02-01T23:00:00Z") }],
      }),
    ]);
    expect(starts(q)).toEqual(["2027-02-08T08:00:00.000Z"]);
  });

  it("time off widens by the service's buffers: [start - bufferAfter, end + bufferBefore]", () => {
    const q = query(
      "2027-01-31T23:00:00Z",
      "2027-02-01T23:00:00Z",
      [
        staff("a", {
          weekly: [rule(1, "09:00", "12:30")], // 08:00Z-11:30Z
          timeOff: [{ start: ms("2027-02-01T09:05:00Z"), end: ms("2027-02-01T10:00:00Z") }],
        }),
      ],
      { stepMinutes: 5, bufferBeforeMinutes: 10, bufferAfterMinutes: 5 },
    );
    // blocked 09:00Z-10:10Z; the 08:00Z slot ends exactly where the block starts.
    expect(starts(q)).toEqual([
      "2027-02-01T08:00:00.000Z",
      "2027-02-01T10:10:00.000Z",
      "2027-02-01T10:15:00.000Z",
      "2027-02-01T10:20:00.000Z",
      "2027-02-01T10:25:00.000Z",
      "2027-02-01T10:30:00.000Z",
    ]);
  });

  it("a slot may end exactly when a booking starts and start exactly when it ends", () => {
    const q = query(...MON_FEB_1, [
      staff("a", {
        weekly,
        bookings: [{ start: ms("2027-02-01T09:00:00Z"), end: ms("2027-02-01T10:00:00Z"), bufferBeforeMinutes: 0, bufferAfterMinutes: 0 }],
      }),
    ]);
    expect(starts(q)).toEqual(["2027-02-01T08:00:00.000Z", "2027-02-01T10:00:00.000Z", "2027-02-01T11:00:00.000Z"]);
  });

  it("a booking blocks [start - (its bufferBefore + service bufferAfter), end + (its bufferAfter + service bufferBefore)]", () => {
    const booking = { start: ms("2027-02-01T09:00:00Z"), end: ms("2027-02-01T10:00:00Z"), bufferBeforeMinutes: 20, bufferAfterMinutes: 15 };
    const q = query(...MON_FEB_1, [staff("a", { weekly: [rule(1, "09:00", "12:00")], bookings: [booking] })], {
      durationMinutes: 35,
      stepMinutes: 5,
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 5,
    });
    // Open 08:00Z-11:00Z, blocked 08:35Z-10:25Z: exactly one fit on each side. The service's own
    // buffers need not fit in open time: 08:00Z starts at opening, 10:25Z ends at closing.
    expect(starts(q)).toEqual(["2027-02-01T08:00:00.000Z", "2027-02-01T10:25:00.000Z"]);
  });

  it("free time starting off the grid waits for the next grid point", () => {
    const q = query(
      ...MON_FEB_1,
      [
        staff("a", {
          weekly,
          bookings: [{ start: ms("2027-02-01T08:00:00Z"), end: ms("2027-02-01T08:10:00Z"), bufferBeforeMinutes: 0, bufferAfterMinutes: 0 }],
        }),
      ],
      { durationMinutes: 90, stepMinutes: 30 },
    );
    expect(starts(q)).toEqual([
      "2027-02-01T08:30:00.000Z",
      "2027-02-01T09:00:00.000Z",
      "2027-02-01T09:30:00.000Z",
      "2027-02-01T10:00:00.000Z",
      "2027-02-01T10:30:00.000Z",
    ]);
  });
});

describe("computeSlots: notice and window", () => {
  const s = [staff("a", { weekly: [rule(1, "09:00", "13:00")] })];

  it("minimum notice drops starts before now + notice", () => {
    const q = query(...MON_FEB_1, s, { now: ms("2027-02-01T08:10:00Z"), minimumNoticeMinutes: 60, stepMinutes: 30 });
    expect(starts(q)).toEqual([
      "2027-02-01T09:30:00.000Z",
      "2027-02-01T10:00:00.000Z",
      "2027-02-01T10:30:00.000Z",
      "2027-02-01T11:00:00.000Z",
    ]);
  });

  it("clips to the window: starts >= from, ends <= to", () => {
    const q = query("2027-02-01T09:10:00Z", "2027-02-01T11:30:00Z", s, { stepMinutes: 30 });
    expect(starts(q)).toEqual(["2027-02-01T09:30:00.000Z", "2027-02-01T10:00:00.000Z", "2027-02-01T10:30:00.000Z"]);
  });

  it("checks one start with from = start and to = start + duration", () => {
    expect(starts(query("2027-02-01T10:00:00Z", "2027-02-01T11:00:00Z", s))).toEqual(["2027-02-01T10:00:00.000Z"]);
    expect(starts(query("2027-02-01T10:10:00Z", "2027-02-01T11:10:00Z", s))).toEqual([]); // off the grid
    expect(starts(query("2027-02-01T11:30:00Z", "2027-02-01T12:30:00Z", s))).toEqual([]); // past closing
  });

  it("returns nothing when the window is shorter than the service or there is no staff", () => {
    expect(starts(query("2027-02-01T08:00:00Z", "2027-02-01T08:59:00Z", s))).toEqual([]);
    expect(starts(query(...MON_FEB_1, []))).toEqual([]);
  });
});

describe("computeSlots: any staff", () => {
  it("unions the staff members' starts and lists who is free, in query order", () => {
    const a = staff("a", { weekly: [rule(1, "09:00", "11:00")] });
    const b = staff("b", { weekly: [rule(1, "10:00", "12:00")] });
    expect(withStaff(query(...MON_FEB_1, [b, a]))).toEqual([
      ["2027-02-01T08:00:00.000Z", ["a"]],
      ["2027-02-01T09:00:00.000Z", ["b", "a"]],
      ["2027-02-01T10:00:00.000Z", ["b"]],
    ]);
  });

  it("one staff member's booking leaves the other free", () => {
    const booking = { start: ms("2027-02-01T08:00:00Z"), end: ms("2027-02-01T09:00:00Z"), bufferBeforeMinutes: 0, bufferAfterMinutes: 0 };
    const a = staff("a", { weekly: [rule(1, "09:00", "11:00")], bookings: [booking] });
    const b = staff("b", { weekly: [rule(1, "09:00", "11:00")] });
    expect(withStaff(query(...MON_FEB_1, [a, b]))).toEqual([
      ["2027-02-01T08:00:00.000Z", ["b"]],
      ["2027-02-01T09:00:00.000Z", ["a", "b"]],
    ]);
  });
});

describe("computeSlots: DST in Europe/Copenhagen", () => {
  // 2027-03-28 (Sunday): 02:00 CET -> 03:00 CEST at 01:00Z; local 02:00-03:00 does not exist.
  const SPRING = ["2027-03-27T23:00:00Z", "2027-03-28T22:00:00Z"] as const;
  // 2027-10-31 (Sunday): 03:00 CEST -> 02:00 CET at 01:00Z; local 02:00-03:00 happens twice.
  const AUTUMN = ["2027-10-30T22:00:00Z", "2027-10-31T23:00:00Z"] as const;

  it("spring: a staff member working 00:00-06:00 works five real hours, slots cross the gap", () => {
    const q = query(...SPRING, [staff("a", { weekly: [rule(7, "00:00", "06:00")] })]);
    expect(starts(q)).toEqual([
      "2027-03-27T23:00:00.000Z", // 00:00 CET
      "2027-03-28T00:00:00.000Z", // 01:00 CET, ends 03:00 CEST
      "2027-03-28T01:00:00.000Z", // 03:00 CEST
      "2027-03-28T02:00:00.000Z",
      "2027-03-28T03:00:00.000Z", // 05:00 CEST, ends 06:00
    ]);
  });

  it("spring: 01:00-04:00 is two real hours (one continuous UTC interval); gap times are skipped", () => {
    const q = query(...SPRING, [staff("a", { weekly: [rule(7, "01:00", "04:00")] })], { durationMinutes: 30, stepMinutes: 30 });
    expect(starts(q)).toEqual([
      "2027-03-28T00:00:00.000Z", // 01:00 CET
      "2027-03-28T00:30:00.000Z", // 01:30 CET, ends 03:00 CEST
      "2027-03-28T01:00:00.000Z", // 03:00 CEST
      "2027-03-28T01:30:00.000Z", // 03:30 CEST
    ]);
  });

  it("spring: a range starting inside the gap starts when the gap ends; one wholly inside is empty", () => {
    const q = query(...SPRING, [staff("a", { weekly: [rule(7, "02:30", "05:00")] })]);
    expect(starts(q)).toEqual(["2027-03-28T01:00:00.000Z", "2027-03-28T02:00:00.000Z"]);
    const inGap = query(...SPRING, [staff("a", { weekly: [rule(7, "02:00", "03:00")] })], { durationMinutes: 15, stepMinutes: 15 });
    expect(starts(inGap)).toEqual([]);
  });

  it("spring: ordinary hours shift from UTC+1 to UTC+2 around the change", () => {
    const q = query("2027-03-26T23:00:00Z", "2027-03-29T22:00:00Z", [
      staff("a", { weekly: [rule(6, "09:00", "10:00"), rule(7, "09:00", "10:00"), rule(1, "09:00", "10:00")] }),
    ]);
    expect(starts(q)).toEqual(["2027-03-27T08:00:00.000Z", "2027-03-28T07:00:00.000Z", "2027-03-29T07:00:00.000Z"]);
  });

  it("autumn: a staff member working 00:00-06:00 works seven real hours, the repeated hour twice", () => {
    const q = query(...AUTUMN, [staff("a", { weekly: [rule(7, "00:00", "06:00")] })]);
    expect(starts(q)).toEqual([
      "2027-10-30T22:00:00.000Z", // 00:00 CEST
      "2027-10-30T23:00:00.000Z", // 01:00 CEST
      "2027-10-31T00:00:00.000Z", // 02:00 CEST
      "2027-10-31T01:00:00.000Z", // 02:00 CET (again)
      "2027-10-31T02:00:00.000Z", // 03:00 CET
      "2027-10-31T03:00:00.000Z",
      "2027-10-31T04:00:00.000Z", // 05:00 CET, ends 06:00
    ]);
  });

  it("autumn: an ambiguous wall time resolves to its first occurrence (earlier offset)", () => {
    const starting = query(...AUTUMN, [staff("a", { weekly: [rule(7, "02:30", "04:00")] })], { stepMinutes: 30 });
    expect(starts(starting)).toEqual([
      "2027-10-31T00:30:00.000Z", // 02:30 CEST
      "2027-10-31T01:00:00.000Z", // 02:00 CET
      "2027-10-31T01:30:00.000Z", // 02:30 CET
      "2027-10-31T02:00:00.000Z", // 03:00 CET, ends 04:00
    ]);
    const ending = query(...AUTUMN, [staff("a", { weekly: [rule(7, "01:00", "02:30")] })], { durationMinutes: 30, stepMinutes: 30 });
    expect(starts(ending)).toEqual([
      "2027-10-30T23:00:00.000Z", // 01:00 CEST
      "2027-10-30T23:30:00.000Z",
      "2027-10-31T00:00:00.000Z", // 02:00 CEST, ends at the first 02:30
    ]);
  });
});

describe("computeSlots: DST in America/New_York", () => {
  const ny = { timeZone: "America/New_York" };

  it("spring 2027-03-14: 00:00-06:00 is five real hours (EST -5 to EDT -4 at 07:00Z)", () => {
    const q = query("2027-03-14T05:00:00Z", "2027-03-15T04:00:00Z", [staff("a", { weekly: [rule(7, "00:00", "06:00")] })], ny);
    expect(starts(q)).toEqual([
      "2027-03-14T05:00:00.000Z",
      "2027-03-14T06:00:00.000Z",
      "2027-03-14T07:00:00.000Z", // 03:00 EDT
      "2027-03-14T08:00:00.000Z",
      "2027-03-14T09:00:00.000Z",
    ]);
  });

  it("spring: 09:00 is 14:00Z on Friday and 13:00Z on Monday", () => {
    const q = query("2027-03-12T05:00:00Z", "2027-03-16T04:00:00Z", [
      staff("a", { weekly: [rule(5, "09:00", "10:00"), rule(1, "09:00", "10:00")] }),
    ], ny);
    expect(starts(q)).toEqual(["2027-03-12T14:00:00.000Z", "2027-03-15T13:00:00.000Z"]);
  });

  it("autumn 2027-11-07: 00:00-06:00 is seven real hours; 01:30 resolves to EDT", () => {
    const q = query("2027-11-07T04:00:00Z", "2027-11-08T05:00:00Z", [staff("a", { weekly: [rule(7, "00:00", "06:00")] })], ny);
    expect(starts(q)).toEqual([
      "2027-11-07T04:00:00.000Z",
      "2027-11-07T05:00:00.000Z", // 01:00 EDT
      "2027-11-07T06:00:00.000Z", // 01:00 EST
      "2027-11-07T07:00:00.000Z",
      "2027-11-07T08:00:00.000Z",
      "2027-11-07T09:00:00.000Z",
      "2027-11-07T10:00:00.000Z", // 05:00 EST, ends 06:00
    ]);
    const fold = query("2027-11-07T04:00:00Z", "2027-11-08T05:00:00Z", [staff("a", { weekly: [rule(7, "01:30", "03:00")] })], {
      ...ny,
      stepMinutes: 30,
    });
    expect(starts(fold)).toEqual([
      "2027-11-07T05:30:00.000Z", // 01:30 EDT
      "2027-11-07T06:00:00.000Z", // 01:00 EST
      "2027-11-07T06:30:00.000Z",
      "2027-11-07T07:00:00.000Z", // 02:00 EST, ends 03:00
    ]);
  });
});

describe("computeSlots: zones without DST and with half-hour offsets", () => {
  it("Asia/Tbilisi (+04) is the same on the European change days", () => {
    const s = [staff("a", { weekly: [rule(7, "09:00", "12:00")] })];
    const tz = { timeZone: "Asia/Tbilisi" };
    expect(starts(query("2027-03-27T20:00:00Z", "2027-03-28T20:00:00Z", s, tz))).toEqual([
      "2027-03-28T05:00:00.000Z",
      "2027-03-28T06:00:00.000Z",
      "2027-03-28T07:00:00.000Z",
    ]);
    expect(starts(query("2027-10-30T20:00:00Z", "2027-10-31T20:00:00Z", s, tz))).toEqual([
      "2027-10-31T05:00:00.000Z",
      "2027-10-31T06:00:00.000Z",
      "2027-10-31T07:00:00.000Z",
    ]);
  });

  it("a step that does not divide the day restarts at local midnight; slots may span midnight", () => {
    // Saturday 22:00-24:00 and Sunday 00:00-02:00 touch: one interval. Grid: multiples of 50 min after midnight.
    const q = query("2027-03-26T20:00:00Z", "2027-03-28T20:00:00Z", [
      staff("a", { weekly: [rule(6, "22:00", "24:00"), rule(7, "00:00", "02:00")] }),
    ], { timeZone: "Asia/Tbilisi", stepMinutes: 50 });
    expect(starts(q)).toEqual([
      "2027-03-27T18:30:00.000Z", // 22:30
      "2027-03-27T19:20:00.000Z", // 23:20, ends 00:20 Sunday
      "2027-03-27T20:00:00.000Z", // 00:00
      "2027-03-27T20:50:00.000Z", // 00:50, ends 01:50
    ]);
  });

  it("Asia/Kolkata (+05:30): the grid is local, so hourly slots fall on :30 UTC", () => {
    const s = [staff("a", { weekly: [rule(1, "09:10", "12:00")] })];
    const tz = { timeZone: "Asia/Kolkata" };
    const day = ["2027-02-28T18:30:00Z", "2027-03-01T18:30:00Z"] as const; // Monday 2027-03-01
    expect(starts(query(...day, s, { ...tz, durationMinutes: 30 }))).toEqual([
      "2027-03-01T04:30:00.000Z", // 10:00 IST
      "2027-03-01T05:30:00.000Z", // 11:00 IST
    ]);
    expect(starts(query(...day, s, { ...tz, durationMinutes: 30, stepMinutes: 15 }))).toEqual([
      "2027-03-01T03:45:00.000Z", // 09:15 IST
      "2027-03-01T04:00:00.000Z",
      "2027-03-01T04:15:00.000Z",
      "2027-03-01T04:30:00.000Z",
      "2027-03-01T04:45:00.000Z",
      "2027-03-01T05:00:00.000Z",
      "2027-03-01T05:15:00.000Z",
      "2027-03-01T05:30:00.000Z",
      "2027-03-01T05:45:00.000Z",
      "2027-03-01T06:00:00.000Z", // 11:30 IST, ends 12:00
    ]);
  });
});

describe("computeSlots: invalid input", () => {
  const s = [staff("a", { weekly: [rule(1, "09:00", "12:00")] })];
  it.each([
    ["an unknown zone", query(...MON_FEB_1, s, { timeZone: "Europe/Atlantis" })],
    ["a zero duration", query(...MON_FEB_1, s, { durationMinutes: 0 })],
    ["a fractional step", query(...MON_FEB_1, s, { stepMinutes: 7.5 })],
    ["a negative buffer", query(...MON_FEB_1, s, { bufferAfterMinutes: -5 })],
    ["a reversed range", query(...MON_FEB_1, [staff("a", { weekly: [rule(1, "12:00", "09:00")] })])],
    ["a range past 24:00", query(...MON_FEB_1, [staff("a", { weekly: [{ weekday: 1, startMinute: 0, endMinute: 1441 }] })])],
    ["weekday 0", query(...MON_FEB_1, [staff("a", { weekly: [rule(0, "09:00", "12:00")] })])],
    ["a bad override date", query(...MON_FEB_1, [staff("a", { overrides: { "2027-02-30": [] } })])],
    ["a NaN window", query(...MON_FEB_1, s, { from: Number.NaN })],
  ])("rejects %s with invalid_input", (_name, q) => {
    expect(() => computeSlots(q)).toThrow(expect.objectContaining({ name: "DomainError", code: "invalid_input" }));
    expect(() => computeSlots(q)).toThrow(DomainError);
  });
});

describe("computeSlots: benchmark workloads", () => {
  const expected = JSON.parse(readFileSync(new URL("../../../bench/expected.json", import.meta.url), "utf8")) as Record<
    string,
    { slots: number; sha256: string }
  >;
  it.each(WORKLOAD_IDS)("%s matches the published slot list checksum", (id) => {
    const slots = computeSlots(workloadToQuery(loadWorkload(id)));
    expect(slots.length).toBe(expected[id]!.slots);
    expect(slotChecksum(slots.map((s) => s.start))).toBe(expected[id]!.sha256);
  });
});
