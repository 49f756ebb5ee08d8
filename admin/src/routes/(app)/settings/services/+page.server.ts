import { requirePermission } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/** Every service, inactive ones included, with who performs it. */
export const load = (async ({ locals }) => {
	const { core, tenant } = requirePermission(locals, 'settings');
	const [services, staff] = await Promise.all([core.catalogAdmin.listServicesForAdmin(tenant.id), core.catalogAdmin.listStaffForAdmin(tenant.id, core.clock.now())]);
	const names = new Map(staff.map((s) => [s.id, s.name]));
	return {
		services: services.map((s) => ({
			id: s.id,
			name: s.name,
			category: s.category,
			durationMinutes: s.durationMinutes,
			priceMinor: s.priceMinor,
			bufferBeforeMinutes: s.bufferBeforeMinutes,
			bufferAfterMinutes: s.bufferAfterMinutes,
			active: s.active,
			staff: s.staff.map((x) => names.get(x.staffId) ?? '').filter(Boolean)
		}))
	};
}) satisfies PageServerLoad;
