import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.js";
import {
  DAY_MS,
  ZoneTimeline,
  clipRanges,
  dateOfEpochDay,
  epochDayOf,
  intersectRanges,
  isoWeekdayOfEpochDay,
  mergeRanges,
  sortRanges,
  subtractRanges,
} from "./date-ranges.js";

const r = (start: number, end: number) => ({ start, end });
const iso = (t: number) => new Date(t).toISOString();
const ms = (s: string) => Date.parse(s);

describe("interval algebra (half-open ranges)", () => {
  it("sorts by start, then end, without touching the input", () => {
    const input = [r(5, 9), r(1, 4), r(1, 2)];
    expect(sortRanges(input)).toEqual([r(1, 2), r(1, 4), r(5, 9)]);
    expect(input).toEqual([r(5, 9), r(1, 4), r(1, 2)]);
  });

  it("merges overlapping and touching ranges, drops empty ones, keeps gaps", () => {
    expect(mergeRanges([r(10, 20), r(0, 5), r(5, 7), r(15, 25), r(30, 30), r(40, 35), r(26, 28)])).toEqual([
      r(0, 7),
      r(10, 25),
      r(26, 28),
    ]);
    expect(mergeRanges([])).toEqual([]);
  });

  it("does not alias the input objects", () => {
    const input = [r(0, 5), r(5, 10)];
    const out = mergeRanges(input);
    out[0]!.end = 99;
    expect(input).toEqual([r(0, 5), r(5, 10)]);
  });

  it("subtracts: holes, cut ends, full cover, touching blocks do not cut", () => {
    expect(subtractRanges([r(0, 100)], [r(10, 20), r(30, 40)])).toEqual([r(0, 10), r(20, 30), r(40, 100)]);
    expect(subtractRanges([r(0, 100)], [r(-10, 10), r(90, 110)])).toEqual([r(10, 90)]);
    expect(subtractRanges([r(0, 10), r(20, 30)], [r(5, 25)])).toEqual([r(0, 5), r(25, 30)]);
    expect(subtractRanges([r(0, 10)], [r(0, 10)])).toEqual([]);
    expect(subtractRanges([r(10, 20)], [r(0, 10), r(20, 30)])).toEqual([r(10, 20)]);
    expect(subtractRanges([r(0, 10), r(20, 30)], [])).toEqual([r(0, 10), r(20, 30)]);
  });

  it("one long block removes several ranges", () => {
    expect(subtractRanges([r(0, 10), r(20, 30), r(40, 50), r(60, 70)], [r(5, 45)])).toEqual([r(0, 5), r(45, 50), r(60, 70)]);
  });

  it("intersects two normalized lists; touching is empty", () => {
    expect(intersectRanges([r(0, 10), r(20, 30)], [r(5, 25)])).toEqual([r(5, 10), r(20, 25)]);
    expect(intersectRanges([r(0, 10)], [r(10, 20)])).toEqual([]);
    expect(intersectRanges([r(0, 100)], [r(10, 20), r(30, 40)])).toEqual([r(10, 20), r(30, 40)]);
  });

  it("clips to a window", () => {
    expect(clipRanges([r(0, 10), r(20, 30), r(40, 50)], 5, 45)).toEqual([r(5, 10), r(20, 30), r(40, 45)]);
    expect(clipRanges([r(0, 10)], 10, 20)).toEqual([]);
  });
});

describe("calendar dates", () => {
  it("converts dates to epoch days and back, with ISO weekdays", () => {
    expect(epochDayOf("1970-01-01")).toBe(0);
    expect(isoWeekdayOfEpochDay(0)).toBe(4); // Thursday
    const d = epochDayOf("2027-03-28");
    expect(dateOfEpochDay(d)).toBe("2027-03-28");
    expect(isoWeekdayOfEpochDay(d)).toBe(7); // Sunday
    expect(isoWeekdayOfEpochDay(epochDayOf("2027-03-29"))).toBe(1); // Monday
    expect(isoWeekdayOfEpochDay(epochDayOf("1969-12-29"))).toBe(1); // negative epoch day
  });

  it("rejects strings that are not calendar dates", () => {
    for (const bad of ["2027-02-30", "2027-13-01", "27-01-01", "2027-1-1", ""]) {
      expect(() => epochDayOf(bad)).toThrow(DomainError);
    }
  });
});

describe("ZoneTimeline", () => {
  const span = (zone: string, from: string, to: string) => ZoneTimeline.create(zone, ms(from), ms(to));
  const wall = (date: string, hhmm: string) => {
    const [h, m] = hhmm.split(":").map(Number);
    return epochDayOf(date) * DAY_MS + (h! * 60 + m!) * 60_000;
  };

  it("finds the Copenhagen spring change to the minute and snaps gap times forward", () => {
    const tl = span("Europe/Copenhagen", "2027-03-20T00:00:00Z", "2027-04-05T00:00:00Z");
    expect(tl.segmentCount).toBe(2);
    expect(iso(tl.segmentEnd(0))).toBe("2027-03-28T01:00:00.000Z");
    expect(iso(tl.wallToUtc(wall("2027-03-28", "01:59")))).toBe("2027-03-28T00:59:00.000Z");
    expect(iso(tl.wallToUtc(wall("2027-03-28", "02:00")))).toBe("2027-03-28T01:00:00.000Z"); // gap
    expect(iso(tl.wallToUtc(wall("2027-03-28", "02:30")))).toBe("2027-03-28T01:00:00.000Z"); // gap
    expect(iso(tl.wallToUtc(wall("2027-03-28", "03:00")))).toBe("2027-03-28T01:00:00.000Z");
    expect(iso(tl.wallToUtc(wall("2027-03-28", "03:01")))).toBe("2027-03-28T01:01:00.000Z");
  });

  it("resolves Copenhagen autumn fold times to the earlier offset", () => {
    const tl = span("Europe/Copenhagen", "2027-10-25T00:00:00Z", "2027-11-05T00:00:00Z");
    expect(tl.segmentCount).toBe(2);
    expect(iso(tl.segmentEnd(0))).toBe("2027-10-31T01:00:00.000Z");
    expect(iso(tl.wallToUtc(wall("2027-10-31", "01:59")))).toBe("2027-10-30T23:59:00.000Z");
    expect(iso(tl.wallToUtc(wall("2027-10-31", "02:30")))).toBe("2027-10-31T00:30:00.000Z"); // not 01:30Z
    expect(iso(tl.wallToUtc(wall("2027-10-31", "03:00")))).toBe("2027-10-31T02:00:00.000Z");
    expect(tl.localEpochDay(ms("2027-10-30T21:59:00Z"))).toBe(epochDayOf("2027-10-30"));
    expect(tl.localEpochDay(ms("2027-10-30T22:00:00Z"))).toBe(epochDayOf("2027-10-31")); // 00:00 CEST;
  });

  it("has one segment in a zone without DST and keeps half-hour offsets", () => {
    const tbilisi = span("Asia/Tbilisi", "2027-01-01T00:00:00Z", "2027-12-31T00:00:00Z");
    expect(tbilisi.segmentCount).toBe(1);
    expect(tbilisi.offsetAt(ms("2027-07-01T00:00:00Z"))).toBe(4 * 3_600_000);
    const kolkata = span("Asia/Kolkata", "2027-01-01T00:00:00Z", "2027-12-31T00:00:00Z");
    expect(iso(kolkata.wallToUtc(wall("2027-03-01", "09:00")))).toBe("2027-03-01T03:30:00.000Z");
  });

  it("finds both New York changes within one year", () => {
    const tl = span("America/New_York", "2027-01-01T00:00:00Z", "2027-12-31T00:00:00Z");
    expect(tl.segmentCount).toBe(3);
    expect(iso(tl.segmentEnd(0))).toBe("2027-03-14T07:00:00.000Z");
    expect(iso(tl.segmentEnd(1))).toBe("2027-11-07T06:00:00.000Z");
  });

  it("turns day ranges into UTC, dropping a range wholly inside the gap", () => {
    const tl = span("Europe/Copenhagen", "2027-03-20T00:00:00Z", "2027-04-05T00:00:00Z");
    const day = epochDayOf("2027-03-28");
    const out = tl.dayRangesToUtc(day, [r(60, 240), r(120, 180), r(300, 1440)]).map((x) => [iso(x.start), iso(x.end)]);
    expect(out).toEqual([
      ["2027-03-28T00:00:00.000Z", "2027-03-28T02:00:00.000Z"], // 01:00-04:00 local: two real hours
      ["2027-03-28T03:00:00.000Z", "2027-03-28T22:00:00.000Z"], // 05:00-24:00 local
    ]);
  });

  it("rejects an unknown zone", () => {
    expect(() => ZoneTimeline.create("Mars/Olympus", 0, DAY_MS)).toThrow(DomainError);
  });
});
