import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { bookingDetails } from '$lib/calendar/details.server';
import { requirePermission } from '$lib/server/guards';
import type { RequestHandler } from './$types';

/**
 * One booking for the calendar's details panel: the booking (salon wall clock) and its history
 * with who did what, as JSON. 404 for an unknown id or another salon's; 403 for another staff
 * member's booking when the account sees only its own column.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	const signedIn = requirePermission(locals, 'calendar:own');
	const id = z.uuid().safeParse(params.id);
	if (!id.success) error(404, { message: 'Booking was not found', code: 'not_found' });
	return json(await bookingDetails(signedIn, id.data), { headers: { 'cache-control': 'no-store' } });
};
