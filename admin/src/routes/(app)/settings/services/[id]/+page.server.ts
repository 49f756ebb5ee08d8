import { error } from '@sveltejs/kit';
import { priceInputValue } from '$lib/settings/money.server';
import { saveServiceForm, serviceFormChoices } from '$lib/settings/service-page.server';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** One service's form, filled in; another salon's or an unknown id is a 404. */
export const load = (async ({ locals, params }) => {
	const { core, tenant } = requirePermission(locals, 'settings');
	const service = (await core.catalogAdmin.listServicesForAdmin(tenant.id)).find((s) => s.id === params.id);
	if (!service) error(404, { message: 'Service was not found', code: 'not_found' });
	return {
		...(await serviceFormChoices(core, tenant.id)),
		service: {
			id: service.id,
			name: service.name,
			category: service.category ?? '',
			durationMinutes: String(service.durationMinutes),
			price: priceInputValue(service.priceMinor, tenant.currency),
			bufferBeforeMinutes: String(service.bufferBeforeMinutes),
			bufferAfterMinutes: String(service.bufferAfterMinutes),
			active: service.active,
			staffIds: service.staff.map((s) => s.staffId)
		}
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/** Saves the service → the list; 400 with field errors; 404 for another salon's service. */
	save: async ({ locals, request, params }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		return saveServiceForm(core, tenant, request, params.id);
	}
};
