import { saveServiceForm, serviceFormChoices } from '$lib/settings/service-page.server';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** An empty service form with the staff to choose from. */
export const load = (async ({ locals }) => {
	const { core, tenant } = requirePermission(locals, 'settings');
	return serviceFormChoices(core, tenant.id);
}) satisfies PageServerLoad;

export const actions: Actions = {
	/** Creates the service (core.catalogAdmin.saveService) → the list; 400 with field errors. */
	save: async ({ locals, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		return saveServiceForm(core, tenant, request);
	}
};
