/** How busy a staff member is, for choosing among free staff when the client said "anyone". */
export interface StaffLoad {
  staffId: string;
  /** Active appointments that local day. */
  appointmentsThatDay: number;
  /** When they were last given a booking; null if never. */
  lastBookedAt: Date | null;
}

/**
 * Orders free staff so that work is shared: fewest appointments that day first, then the one
 * booked least recently (never booked counts as longest ago), then by id for a stable order.
 * The first is the pick; the rest are fallbacks if the first was taken meanwhile. Pure.
 */
export function pickFairly(loads: StaffLoad[]): string[] {
  return [...loads]
    .sort(
      (a, b) =>
        a.appointmentsThatDay - b.appointmentsThatDay ||
        (a.lastBookedAt?.getTime() ?? -Infinity) - (b.lastBookedAt?.getTime() ?? -Infinity) ||
        a.staffId.localeCompare(b.staffId),
    )
    .map((l) => l.staffId);
}
