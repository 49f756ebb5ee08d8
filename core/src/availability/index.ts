/**
 * The pure availability engine: interval algebra and slot computation. No database, no clock.
 * The database-backed service (`availability.service.ts`) loads schedules and calls `computeSlots`.
 */
export { computeSlots, staffFreeRanges } from "./slots.js";
export type { BlockedBooking, MinuteRange, Slot, SlotQuery, StaffSchedule, WeeklyRule } from "./slots.js";
export {
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
export type { Range } from "./date-ranges.js";
