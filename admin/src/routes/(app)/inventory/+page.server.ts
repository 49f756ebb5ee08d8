import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

/**
 * Products: `q` searches name, SKU and barcode (an exact code first); `low=1` lists only products
 * below their low-stock threshold (lowest first); `archived=1` includes archived products.
 */
export const load = (async ({ locals, url }) => {
	const { tenant, core } = requirePermission(locals, 'inventory');
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
	const low = url.searchParams.get('low') === '1';
	const archived = url.searchParams.get('archived') === '1';
	const [listed, lowStock] = await Promise.all([
		low ? Promise.resolve(null) : core.inventory.list({ tenantId: tenant.id, query: q || undefined, includeArchived: archived, limit: 500 }),
		core.inventory.listLowStock(tenant.id)
	]).catch(throwAsHttpError);
	const needle = q.toLowerCase();
	const products = (listed ?? lowStock).filter(
		(p) => listed || !needle || [p.name, p.sku ?? '', p.barcode ?? ''].some((s) => s.toLowerCase().includes(needle))
	);
	return {
		q,
		low,
		archived,
		lowCount: lowStock.length,
		products: products.map((p) => ({
			id: p.id,
			name: p.name,
			sku: p.sku,
			barcode: p.barcode,
			unit: p.unit,
			priceMinor: p.priceMinor,
			stockOnHand: p.stockOnHand,
			lowStockThreshold: p.lowStockThreshold,
			isLow: p.isLow,
			active: p.active
		}))
	};
}) satisfies PageServerLoad;
