/**
 * What the calendar page has open and what it tells staff (a Svelte 5 rune class): the new-booking
 * form with its prefilled column and time, the details of one booking, and the message after a
 * refused move or a done action (with the free times offered instead).
 */
import type { CalendarBooking } from './events';
import type { LocalDate } from '$lib/zone';

/** Where a new booking starts: the clicked column, date and time ("HH:mm"). */
export interface NewBookingDraft {
	staffId: string;
	date: LocalDate;
	time: string;
}

/** A free time offered after a refusal. */
export interface OfferedTime {
	start: string;
	label: string;
	staffIds: string[];
}

/** A message shown above the calendar. */
export interface CalendarMessage {
	tone: 'error' | 'success';
	text: string;
	alternatives?: OfferedTime[];
}

export class CalendarUi {
	/** The new-booking form's starting values, or null when it is closed. */
	draft: NewBookingDraft | null = $state(null);
	/** The booking whose details are open, or null (raw: replaced, never mutated). */
	selected: CalendarBooking | null = $state.raw(null);
	message: CalendarMessage | null = $state(null);
	/** A move or refresh is running. */
	busy = $state(false);

	/** Opens the new-booking form at a column and time (closes the details). */
	openNew(draft: NewBookingDraft): void {
		this.selected = null;
		this.draft = draft;
	}

	/** Opens a booking's details (closes the form). */
	openDetails(booking: CalendarBooking): void {
		this.draft = null;
		this.selected = booking;
	}

	/** Keeps the open details in step with fresh data (a booking no longer listed stays as it was). */
	sync(bookings: CalendarBooking[]): void {
		if (!this.selected) return;
		const id = this.selected.id;
		const fresh = bookings.find((b) => b.id === id);
		if (fresh && fresh !== this.selected) this.selected = fresh;
	}

	closeForm(): void {
		this.draft = null;
	}

	closeDetails(): void {
		this.selected = null;
	}

	/** Shows an error (a refused move), with the free times offered instead. */
	refuse(text: string, alternatives: OfferedTime[] = []): void {
		this.message = { tone: 'error', text, alternatives };
	}

	/** Shows what was done. */
	done(text: string): void {
		this.message = { tone: 'success', text };
	}

	dismiss(): void {
		this.message = null;
	}
}
