import { isDomainError, type AvailableSlot, type BookingView, type Core, type TenantView } from '@chairside/core';
import { fail, redirect, type Cookies } from '@sveltejs/kit';
import { clearHold, ensureWebId, knownClient, readHold, salonFromSlug, WEB_CHANNEL, type HeldRef } from '$lib/booking-page/web.server';
import { contactSchema, offeredAlternatives, staffIdOf } from '$lib/booking-page/steps';
import { invalidPhoneMessage } from '$lib/clients/forms';
import { routes } from '$lib/routes';
import { instantToLocal } from '$lib/settings/time';
import type { Actions, PageServerLoad } from './$types';

/** Field errors of the contact form. */
export type ContactErrors = Partial<Record<'phone' | 'name' | 'form', string>>;

/** The held booking of this browser, or null (no cookie, unknown id, not from the booking page). */
async function heldBooking(core: Core, tenant: TenantView, cookies: Cookies): Promise<{ ref: HeldRef; booking: BookingView } | null> {
	const ref = readHold(cookies);
	if (!ref) return null;
	const booking = await core.bookings.getBooking({ tenantId: tenant.id, bookingId: ref.bookingId }).catch((e: unknown) => {
		if (isDomainError(e, 'not_found')) return null;
		throw e;
	});
	return booking && booking.channel === WEB_CHANNEL ? { ref, booking } : null;
}

/** The time grid of the held booking's day, with what the visitor picked. */
function gridOf(tenant: TenantView, ref: HeldRef, booking: BookingView, extra: { taken?: string; alt?: string; lost?: 1 } = {}): string {
	return routes.book(tenant.slug, { service: booking.serviceId, staff: ref.staff, date: instantToLocal(booking.startsAt, tenant.timeZone).date, ...extra });
}

/**
 * The contact step for the held time: what is held, until when, and the phone and name form
 * (filled in for a returning browser). No hold: back to the start; a hold that was confirmed
 * already: its confirmation; a hold that is gone (cancelled): back to the grid.
 */
export const load = (async ({ params, locals, cookies, url }) => {
	const { core } = locals;
	const tenant = await salonFromSlug(core, params.salon);
	const held = await heldBooking(core, tenant, cookies);
	if (!held) {
		clearHold(cookies, url, tenant.slug);
		redirect(303, routes.book(tenant.slug));
	}
	const { ref, booking } = held;
	const client = await knownClient(core, tenant.id, cookies);
	if (booking.status === 'confirmed' && client && booking.clientId === client.id) {
		clearHold(cookies, url, tenant.slug);
		redirect(303, routes.bookDone(tenant.slug, booking.id));
	}
	if (booking.status !== 'held' && booking.status !== 'expired') {
		clearHold(cookies, url, tenant.slug);
		redirect(303, gridOf(tenant, ref, booking, { lost: 1 }));
	}
	return {
		booking: {
			serviceName: booking.serviceName,
			staffName: ref.staff === 'any' ? null : booking.staffName,
			assignedStaffName: booking.staffName,
			startsAt: booking.startsAt.toISOString(),
			endsAt: booking.endsAt.toISOString(),
			priceMinor: booking.priceMinor,
			currency: booking.currency,
			holdExpiresAt: booking.holdExpiresAt?.toISOString() ?? null
		},
		changeHref: gridOf(tenant, ref, booking),
		contact: { phone: client?.phone ?? '', name: client?.name ?? '' }
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/**
	 * Phone and name → the client of this browser (core.clients.registerWithTypedPhone with channel
	 * "web" and the browser's random id: a typed phone never links to another client) → confirms
	 * the hold (core.bookings.confirm) → the confirmation page. A bad phone answers 400 with the
	 * salon country's example; a time given away meanwhile goes back to the fresh grid with the
	 * nearest alternatives; a lost hold goes back to the grid.
	 */
	confirm: async ({ request, params, locals, cookies, url }) => {
		const { core } = locals;
		const tenant = await salonFromSlug(core, params.salon);
		const held = await heldBooking(core, tenant, cookies);
		if (!held) redirect(303, routes.book(tenant.slug, { lost: 1 }));
		const { ref, booking } = held;
		const form = await request.formData();
		const typed = { phone: String(form.get('phone') ?? '').slice(0, 200), name: String(form.get('name') ?? '').slice(0, 200) };
		const parsed = contactSchema.safeParse(typed);
		if (!parsed.success) {
			const errors: ContactErrors = {};
			for (const issue of parsed.error.issues) errors[issue.path[0] as 'phone' | 'name'] ??= issue.message;
			return fail(400, { ...typed, errors });
		}
		let clientId: string;
		try {
			const client = await core.clients.registerWithTypedPhone({
				tenantId: tenant.id,
				channel: WEB_CHANNEL,
				externalId: ensureWebId(cookies, url),
				phone: parsed.data.phone,
				name: parsed.data.name,
				locale: tenant.locale
			});
			clientId = client.id;
		} catch (e) {
			if (isDomainError(e, 'invalid_phone')) {
				return fail(400, { ...typed, errors: { phone: invalidPhoneMessage((e.details as { example?: unknown } | undefined)?.example) } as ContactErrors });
			}
			throw e;
		}
		let confirmed: BookingView;
		try {
			confirmed = await core.bookings.confirm({ tenantId: tenant.id, bookingId: booking.id, clientId, actor: `client:${clientId}` });
		} catch (e) {
			clearHold(cookies, url, tenant.slug);
			if (isDomainError(e, 'slot_taken')) {
				const staffId = staffIdOf(ref.staff);
				let alternatives = offeredAlternatives((e.details as { alternatives?: AvailableSlot[] } | undefined)?.alternatives ?? [], staffId);
				// Core offers the nearest times of anyone; when none is with the chosen person, ask for theirs.
				if (alternatives.length === 0 && staffId) {
					const around = booking.startsAt;
					alternatives = offeredAlternatives(await core.availability.nearestSlots({ tenantId: tenant.id, serviceId: booking.serviceId, staffId, around }), staffId);
				}
				redirect(303, gridOf(tenant, ref, booking, { taken: booking.startsAt.toISOString(), alt: alternatives.join(',') || undefined }));
			}
			if (isDomainError(e, 'not_found') || isDomainError(e, 'booking_not_changeable') || isDomainError(e, 'hold_expired')) {
				redirect(303, gridOf(tenant, ref, booking, { lost: 1 }));
			}
			throw e;
		}
		clearHold(cookies, url, tenant.slug);
		redirect(303, routes.bookDone(tenant.slug, confirmed.id));
	},

	/** Gives the held time back at once and returns to that day's grid. */
	release: async ({ params, locals, cookies, url }) => {
		const { core } = locals;
		const tenant = await salonFromSlug(core, params.salon);
		const held = await heldBooking(core, tenant, cookies);
		clearHold(cookies, url, tenant.slug);
		if (!held) redirect(303, routes.book(tenant.slug));
		if (held.booking.status === 'held') await core.bookings.releaseHold({ tenantId: tenant.id, bookingId: held.booking.id });
		redirect(303, gridOf(tenant, held.ref, held.booking));
	}
};
