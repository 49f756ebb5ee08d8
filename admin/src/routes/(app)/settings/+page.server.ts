import { isDomainError } from '@chairside/core';
import { fail } from '@sveltejs/kit';
import { readSalonForm, SALON_FIELDS, formValues } from '$lib/settings/forms.server';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** Every IANA zone and ISO 4217 currency the runtime knows, with the salon's own kept first-class. */
function choices(current: string, all: string[]): string[] {
	return all.includes(current) ? all : [current, ...all].sort();
}

/** The salon details and booking rules form, filled in. */
export const load = (async ({ locals }) => {
	const { core, tenant } = requirePermission(locals, 'settings');
	const salon = await core.catalog.getTenant(tenant.id).catch(throwAsHttpError);
	return {
		salon,
		timeZones: choices(salon.timeZone, Intl.supportedValuesOf('timeZone')),
		currencies: choices(salon.currency, Intl.supportedValuesOf('currency'))
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/**
	 * Saves name, time zone, currency, locale, country and booking rules (core.catalogAdmin.updateSalon).
	 * 400 with field errors; the (app) layout reloads, so the new zone and locale apply at once.
	 */
	save: async ({ locals, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		const form = await request.formData();
		const values = formValues(form, SALON_FIELDS);
		const read = readSalonForm(form);
		if (!read.ok) return fail(400, { values, errors: read.errors });
		try {
			await core.catalogAdmin.updateSalon(tenant.id, read.value);
		} catch (e) {
			if (isDomainError(e, 'invalid_input')) return fail(400, { values, errors: fieldErrors(e) });
			throwAsHttpError(e);
		}
		return { saved: true };
	}
};
