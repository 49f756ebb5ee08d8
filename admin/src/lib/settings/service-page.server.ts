/**
 * Shared server code of the service pages (new and edit): the form's choices, and saving through
 * core.catalogAdmin.saveService with core's field errors mapped onto the form.
 */
import { isDomainError, type Core } from '@chairside/core';
import { fail, redirect } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { formValues, readServiceForm, SERVICE_FIELDS, serviceErrorField, type FieldErrors } from './forms.server';

/** Staff to pick from and categories in use. */
export async function serviceFormChoices(core: Core, tenantId: string) {
	const [staff, services] = await Promise.all([
		core.catalogAdmin.listStaffForAdmin(tenantId, core.clock.now()),
		core.catalogAdmin.listServicesForAdmin(tenantId)
	]);
	return {
		staff: staff.map((s) => ({ id: s.id, name: s.name, active: s.active })),
		categories: [...new Set(services.map((s) => s.category).filter((c): c is string => !!c))].sort()
	};
}

/** Reads and saves the service form (create without `serviceId`) → the services list; 400 with field errors, 404 for a foreign id. */
export async function saveServiceForm(core: Core, tenant: { id: string; currency: string }, request: Request, serviceId?: string) {
	const form = await request.formData();
	const values = { ...formValues(form, SERVICE_FIELDS), active: form.get('active') === 'on', staffIds: form.getAll('staffIds').map(String) };
	const read = readServiceForm(form, tenant.currency);
	if (!read.ok) return fail(400, { values, errors: read.errors });
	try {
		await core.catalogAdmin.saveService(tenant.id, read.value, serviceId);
	} catch (e) {
		if (isDomainError(e, 'invalid_input')) {
			const errors: FieldErrors = {};
			for (const [path, message] of Object.entries(fieldErrors(e))) errors[serviceErrorField(path.split('.')[0]!)] ??= message;
			return fail(400, { values, errors });
		}
		throwAsHttpError(e);
	}
	redirect(303, routes.settingsServices());
}
