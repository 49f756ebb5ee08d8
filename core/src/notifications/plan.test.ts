import { describe, expect, it } from "vitest";
import { inQuietHours, marketingTime, minutesBefore, noticeTime, outsideQuietHours, planReminders, quietHoursEnd, thankYouTime } from "./plan.js";
import { DEFAULT_NOTIFICATION_SETTINGS as DEFAULTS, notificationSettingsSchema } from "./settings.js";

const CPH = "Europe/Copenhagen";
const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;
const plan = (startsAt: string, now: string, settings = DEFAULTS, zone = CPH) =>
  planReminders({ booking: { id: "b1", startsAt: at(startsAt) }, settings, zone, now: at(now) }).map((p) => [p.kind, iso(p.notBefore)]);
const QUIET = DEFAULTS.quietHours;

describe("planReminders", () => {
  it("plans 24 h and 1 h before an ordinary appointment", () => {
    // Wednesday 2027-03-10 14:00 CET (13:00Z), booked a week ahead.
    expect(plan("2027-03-10T13:00:00Z", "2027-03-03T10:00:00Z")).toEqual([
      ["reminder_24h", "2027-03-09T13:00:00.000Z"],
      ["reminder_1h", "2027-03-10T12:00:00.000Z"],
    ]);
  });

  it("keeps the wall-clock time across the spring DST change (Copenhagen, 2027-03-28)", () => {
    // Monday 10:00 CEST (08:00Z): the day before at 10:00 is already CEST, Sunday 08:00Z.
    expect(plan("2027-03-29T08:00:00Z", "2027-03-26T11:00:00Z")).toEqual([
      ["reminder_24h", "2027-03-28T08:00:00.000Z"],
      ["reminder_1h", "2027-03-29T07:00:00.000Z"],
    ]);
    // Sunday 10:00 CEST (08:00Z): Saturday 10:00 was still CET, 09:00Z (23 real hours before).
    expect(plan("2027-03-28T08:00:00Z", "2027-03-26T11:00:00Z")).toEqual([
      ["reminder_24h", "2027-03-27T09:00:00.000Z"],
      ["reminder_1h", "2027-03-28T07:00:00.000Z"],
    ]);
  });

  it("keeps the wall-clock time across the autumn DST change (Copenhagen, 2027-10-31)", () => {
    // Sunday 10:00 CET (09:00Z): Saturday 10:00 was CEST, 08:00Z (25 real hours before).
    expect(plan("2027-10-31T09:00:00Z", "2027-10-25T09:00:00Z")).toEqual([
      ["reminder_24h", "2027-10-30T08:00:00.000Z"],
      ["reminder_1h", "2027-10-31T08:00:00.000Z"],
    ]);
  });

  it("moves a reminder planned in quiet hours to 09:00 local, on the DST days too", () => {
    // 09:30 appointments: the 1 h reminder (08:30) waits until 09:00 local.
    expect(plan("2027-03-28T07:30:00Z", "2027-03-20T10:00:00Z")).toEqual([
      ["reminder_24h", "2027-03-27T08:30:00.000Z"],
      ["reminder_1h", "2027-03-28T07:00:00.000Z"],
    ]);
    expect(plan("2027-10-31T08:30:00Z", "2027-10-20T10:00:00Z")).toEqual([
      ["reminder_24h", "2027-10-30T07:30:00.000Z"],
      ["reminder_1h", "2027-10-31T08:00:00.000Z"],
    ]);
  });

  it("sends in quiet hours when the appointment itself comes before they end", () => {
    // Monday 22:00 CEST: the 1 h reminder goes at 21:00 (quiet, but 09:00 would be too late);
    // the day-before reminder at 22:00 on Sunday waits for Monday 09:00.
    expect(plan("2027-03-29T20:00:00Z", "2027-03-20T10:00:00Z")).toEqual([
      ["reminder_24h", "2027-03-29T07:00:00.000Z"],
      ["reminder_1h", "2027-03-29T19:00:00.000Z"],
    ]);
    // Monday 08:00 CEST: Sunday's 08:00 reminder moves to Sunday 09:00; Monday's 07:00 one stays.
    expect(plan("2027-03-29T06:00:00Z", "2027-03-20T10:00:00Z")).toEqual([
      ["reminder_24h", "2027-03-28T07:00:00.000Z"],
      ["reminder_1h", "2027-03-29T05:00:00.000Z"],
    ]);
  });

  it("gives a booking made 3 hours ahead no 24 h reminder", () => {
    expect(plan("2027-03-29T08:00:00Z", "2027-03-29T05:00:00Z")).toEqual([["reminder_1h", "2027-03-29T07:00:00.000Z"]]);
  });

  it("plans nothing already past, nor after the start", () => {
    expect(plan("2027-03-29T08:00:00Z", "2027-03-29T07:30:00Z")).toEqual([]);
    expect(plan("2027-03-29T08:00:00Z", "2027-03-29T07:00:00Z")).toEqual([["reminder_1h", "2027-03-29T07:00:00.000Z"]]);
  });

  it("follows the salon's switches and offsets, and drops a first reminder that would not come first", () => {
    const off = notificationSettingsSchema.parse({ enabled: { reminder_24h: false } });
    expect(plan("2027-03-10T13:00:00Z", "2027-03-03T10:00:00Z", off)).toEqual([["reminder_1h", "2027-03-10T12:00:00.000Z"]]);
    // 2 h and 1 h before a 10:00 appointment: 08:00 is quiet and moves to 09:00, the 1 h reminder's time.
    const close = notificationSettingsSchema.parse({ reminderOffsets: { reminder_24h: 120 } });
    expect(plan("2027-03-10T09:00:00Z", "2027-03-03T10:00:00Z", close)).toEqual([["reminder_1h", "2027-03-10T08:00:00.000Z"]]);
    // 25 h = the day before at the same wall-clock time, minus one hour; across the spring change.
    const long = notificationSettingsSchema.parse({ reminderOffsets: { reminder_24h: 1500 } });
    expect(plan("2027-03-29T08:00:00Z", "2027-03-20T10:00:00Z", long)[0]).toEqual(["reminder_24h", "2027-03-28T07:00:00.000Z"]);
  });

  it("works in a zone without DST and in a half-hour zone", () => {
    expect(plan("2027-03-28T06:00:00Z", "2027-03-20T00:00:00Z", DEFAULTS, "Asia/Tbilisi")).toEqual([
      ["reminder_24h", "2027-03-27T06:00:00.000Z"],
      ["reminder_1h", "2027-03-28T05:00:00.000Z"],
    ]);
    // 10:00 IST = 04:30Z; the 1 h reminder at 09:00 IST is just outside quiet hours.
    expect(plan("2027-03-28T04:30:00Z", "2027-03-20T00:00:00Z", DEFAULTS, "Asia/Kolkata")).toEqual([
      ["reminder_24h", "2027-03-27T04:30:00.000Z"],
      ["reminder_1h", "2027-03-28T03:30:00.000Z"],
    ]);
  });
});

describe("quiet hours", () => {
  it("wraps midnight: 21:00 is quiet, 09:00 is not", () => {
    expect(inQuietHours(at("2027-03-10T20:00:00Z"), QUIET, CPH)).toBe(true); // 21:00 CET
    expect(inQuietHours(at("2027-03-10T19:59:00Z"), QUIET, CPH)).toBe(false);
    expect(inQuietHours(at("2027-03-10T07:59:00Z"), QUIET, CPH)).toBe(true);
    expect(inQuietHours(at("2027-03-10T08:00:00Z"), QUIET, CPH)).toBe(false); // 09:00 CET
  });

  it("ends at the next 09:00 local, over the DST nights", () => {
    expect(iso(quietHoursEnd(at("2027-03-27T22:30:00Z"), QUIET, CPH))).toBe("2027-03-28T07:00:00.000Z");
    expect(iso(quietHoursEnd(at("2027-03-28T01:30:00Z"), QUIET, CPH))).toBe("2027-03-28T07:00:00.000Z");
    expect(iso(quietHoursEnd(at("2027-10-30T21:30:00Z"), QUIET, CPH))).toBe("2027-10-31T08:00:00.000Z");
    expect(iso(quietHoursEnd(at("2027-10-31T00:30:00Z"), QUIET, CPH))).toBe("2027-10-31T08:00:00.000Z");
    expect(iso(quietHoursEnd(at("2027-03-10T12:00:00Z"), QUIET, CPH))).toBe("2027-03-10T12:00:00.000Z");
  });

  it("supports a window within one day, and none", () => {
    const lunch = { startMinute: 12 * 60, endMinute: 13 * 60 };
    expect(iso(outsideQuietHours(at("2027-03-10T11:30:00Z"), lunch, CPH))).toBe("2027-03-10T12:00:00.000Z");
    expect(iso(outsideQuietHours(at("2027-03-10T10:59:00Z"), lunch, CPH))).toBe("2027-03-10T10:59:00.000Z");
    expect(inQuietHours(at("2027-03-10T02:00:00Z"), { startMinute: 0, endMinute: 0 }, CPH)).toBe(false);
  });
});

describe("other times of the sequence", () => {
  it("sends a notice now, at 09:00 when quiet, or now when the appointment is sooner", () => {
    expect(iso(noticeTime({ now: at("2027-03-10T12:00:00Z"), startsAt: at("2027-03-12T12:00:00Z"), settings: DEFAULTS, zone: CPH }))).toBe(
      "2027-03-10T12:00:00.000Z",
    );
    expect(iso(noticeTime({ now: at("2027-03-10T21:30:00Z"), startsAt: at("2027-03-12T12:00:00Z"), settings: DEFAULTS, zone: CPH }))).toBe(
      "2027-03-11T08:00:00.000Z",
    );
    expect(iso(noticeTime({ now: at("2027-03-10T21:30:00Z"), startsAt: at("2027-03-11T06:00:00Z"), settings: DEFAULTS, zone: CPH }))).toBe(
      "2027-03-10T21:30:00.000Z",
    );
  });

  it("thanks an hour after checkout, never in quiet hours", () => {
    expect(iso(thankYouTime({ completedAt: at("2027-03-10T12:00:00Z"), settings: DEFAULTS, zone: CPH }))).toBe("2027-03-10T13:00:00.000Z");
    expect(iso(thankYouTime({ completedAt: at("2027-10-30T19:30:00Z"), settings: DEFAULTS, zone: CPH }))).toBe("2027-10-31T08:00:00.000Z");
  });

  it("greets at 10:00 local, or at once later in the day, but not on another day", () => {
    expect(iso(marketingTime({ now: at("2027-03-28T05:00:00Z"), settings: DEFAULTS, zone: CPH }))).toBe("2027-03-28T08:00:00.000Z");
    expect(iso(marketingTime({ now: at("2027-10-31T05:00:00Z"), settings: DEFAULTS, zone: CPH }))).toBe("2027-10-31T09:00:00.000Z");
    expect(iso(marketingTime({ now: at("2027-03-10T14:00:00Z"), settings: DEFAULTS, zone: CPH }))).toBe("2027-03-10T14:00:00.000Z");
    expect(marketingTime({ now: at("2027-03-10T20:30:00Z"), settings: DEFAULTS, zone: CPH })).toBeNull();
  });

  it("counts whole days in local calendar days and the rest in exact minutes", () => {
    expect(iso(minutesBefore(at("2027-03-29T08:00:00Z"), 1440 + 30, CPH))).toBe("2027-03-28T07:30:00.000Z");
    expect(iso(minutesBefore(at("2027-03-28T08:00:00Z"), 8 * 60, CPH))).toBe("2027-03-28T00:00:00.000Z");
  });
});
