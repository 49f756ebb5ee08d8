import type { SignedIn } from '$lib/server/guards';
import { throwAsHttpError } from '$lib/server/errors';
import { formatDateTime } from '$lib/format';
import { assertColumn } from './data.server';
import { toCalendarBooking, type CalendarBooking } from './events';
import { describeHistory, type HistoryEntry } from './history';

/** What the details panel shows beyond the calendar event: the history in words. */
export interface BookingDetails {
	booking: CalendarBooking;
	history: HistoryEntry[];
}

/**
 * A booking and its history for the signed-in account. Throws SvelteKit 404 for an unknown or
 * foreign id, 403 for another staff member's booking when the account sees only its own column.
 */
export async function bookingDetails(signedIn: SignedIn, bookingId: string): Promise<BookingDetails> {
	const { core, tenant, account } = signedIn;
	const booking = await core.bookings.getBooking({ tenantId: tenant.id, bookingId }).catch(throwAsHttpError);
	assertColumn(account, booking.staffId);
	const [rows, accounts, staff] = await Promise.all([
		core.bookings.history({ tenantId: tenant.id, bookingId }),
		core.auth.listAccounts(tenant.id),
		core.catalogAdmin.listStaffForAdmin(tenant.id, core.clock.now())
	]);
	return {
		booking: toCalendarBooking(booking, tenant.timeZone, core.clock.now()),
		history: describeHistory(rows, {
			accounts: new Map(accounts.map((a) => [a.id, a.name])),
			staff: new Map(staff.map((s) => [s.id, s.name])),
			clientId: booking.clientId,
			formatInstant: (d) => formatDateTime(d, tenant.timeZone, tenant.locale)
		})
	};
}
