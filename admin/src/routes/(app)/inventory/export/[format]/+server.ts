import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { localDateOf as localDate } from '$lib/zone';
import { requirePermission } from '$lib/server/guards';
import type { RequestHandler } from './$types';

const CONTENT_TYPES = {
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	csv: 'text/csv; charset=utf-8'
} as const;

/**
 * Every product of the salon (archived too) as a download: /inventory/export/xlsx or /csv
 * (core.inventory.exportProducts; the file imports back as is). 401 without a session, 403 without
 * the inventory permission, 404 for another format.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { tenant, core } = requirePermission(locals, 'inventory');
	const format = z.enum(['xlsx', 'csv']).safeParse(params.format);
	if (!format.success) error(404, { message: 'Export as xlsx or csv', code: 'not_found' });
	const file = await core.inventory.exportProducts({ tenantId: tenant.id, format: format.data });
	const name = `products-${tenant.slug}-${localDate(core.clock.now(), tenant.timeZone)}.${format.data}`;
	return new Response(new Uint8Array(file), {
		headers: {
			'content-type': CONTENT_TYPES[format.data],
			'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`,
			'content-length': String(file.length),
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
