import { isDomainError } from '@chairside/core';
import { fail, redirect } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import { readNewStaffForm } from '$lib/settings/forms.server';
import type { Actions, PageServerLoad } from './$types';

/** Every staff member (active first) with their services and working days. */
export const load = (async ({ locals }) => {
	const { core, tenant } = requirePermission(locals, 'settings');
	const [staff, services] = await Promise.all([core.catalogAdmin.listStaffForAdmin(tenant.id, core.clock.now()), core.catalogAdmin.listServicesForAdmin(tenant.id)]);
	const names = new Map(services.map((s) => [s.id, s.name]));
	return {
		staff: staff.map((s) => ({
			id: s.id,
			name: s.name,
			active: s.active,
			services: s.serviceIds.map((id) => names.get(id) ?? '').filter(Boolean),
			workdays: s.weekly.map((d) => d.weekday)
		}))
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/** Adds a staff member (name only) → their page, to set services and hours. 400 with field errors. */
	create: async ({ locals, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		const form = await request.formData();
		const read = readNewStaffForm(form);
		if (!read.ok) return fail(400, { name: String(form.get('name') ?? ''), errors: read.errors });
		let id: string;
		try {
			id = (await core.catalogAdmin.saveStaff(tenant.id, { name: read.value.name })).id;
		} catch (e) {
			if (isDomainError(e, 'invalid_input')) return fail(400, { name: read.value.name, errors: fieldErrors(e) });
			throwAsHttpError(e);
		}
		redirect(303, routes.settingsStaffMember(id));
	}
};
