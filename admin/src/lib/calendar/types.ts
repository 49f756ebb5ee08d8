/**
 * Shapes the calendar's server code hands to the page (load data, action answers). Types only.
 */
import type { CalendarView } from '$lib/routes';
import type { CalendarBooking, StaffSchedule } from './events';
import type { LocalDate, WallTime } from '$lib/zone';

/** A staff column: who, and which services they perform. */
export interface StaffColumn {
	id: string;
	name: string;
	serviceIds: string[];
}

/** A service the booking form offers. Money in minor units of `currency`. */
export interface CalendarService {
	id: string;
	name: string;
	durationMinutes: number;
	priceMinor: number;
	currency: string;
}

/** A free time offered instead of a refused one. */
export interface Alternative {
	/** Salon wall clock. */
	start: WallTime;
	/** e.g. "Tue 5 Mar, 10:15" in the salon's locale. */
	label: string;
	staffIds: string[];
}

/** Everything the calendar page shows for one day or week. */
export interface CalendarData {
	date: LocalDate;
	view: CalendarView;
	/** Today in the salon. */
	today: LocalDate;
	days: LocalDate[];
	/** The columns shown (active staff; a staff account sees only their own). */
	staff: StaffColumn[];
	schedules: StaffSchedule[];
	services: CalendarService[];
	bookings: CalendarBooking[];
	/** The salon's bookings version when this was read (the live feed starts from it). */
	version: string;
	/** The salon's slot grid in minutes (clicks and drags snap to it). */
	slotStepMinutes: number;
	/** Whether the account sees every column ("calendar:all"). */
	seesAll: boolean;
	/** Whether the account may search and add clients while booking ("clients:lookup"). */
	canLookUpClients: boolean;
}
