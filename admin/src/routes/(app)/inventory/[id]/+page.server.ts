import { isDomainError, type Core } from '@chairside/core';
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { productErrors } from '$lib/inventory/product-errors.server';
import { parseAdjustForm, parseDeliveryForm, parseProductForm } from '$lib/inventory/product-form';
import { currencyDigits, toMoneyInput } from '$lib/pos/money';
import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

function productIdOf(params: { id: string }): string {
	const parsed = z.uuid().safeParse(params.id);
	if (!parsed.success) error(404, { message: 'Product was not found', code: 'not_found' });
	return parsed.data;
}

/** "staff:<accountId>" → the account's name; "system" → "System"; anything else as stored. */
function actorName(actor: string, names: Map<string, string>): string {
	if (actor === 'system') return 'System';
	const [kind, id] = actor.split(':');
	if (kind === 'staff' && id) return names.get(id) ?? 'Former staff';
	return actor;
}

/** A product with its last 100 stock movements (who, why, kind, quantity, balance, when). 404 for another salon's product. */
export const load = (async ({ locals, params }) => {
	const { tenant, core } = requirePermission(locals, 'inventory');
	const productId = productIdOf(params);
	const [product, movements, accounts] = await Promise.all([
		core.inventory.get({ tenantId: tenant.id, productId }),
		core.inventory.listMovements({ tenantId: tenant.id, productId, limit: 100 }),
		core.auth.listAccounts(tenant.id)
	]).catch(throwAsHttpError);
	const names = new Map(accounts.map((a) => [a.id, a.name]));
	return {
		product: { ...product, updatedAt: product.updatedAt.toISOString() },
		values: {
			name: product.name,
			sku: product.sku ?? '',
			barcode: product.barcode ?? '',
			unit: product.unit,
			cost: toMoneyInput(product.costMinor, tenant.currency, tenant.locale),
			price: toMoneyInput(product.priceMinor, tenant.currency, tenant.locale),
			threshold: String(product.lowStockThreshold),
			stock: String(product.stockOnHand)
		},
		movements: movements.map((m) => ({
			id: m.id,
			kind: m.kind,
			quantity: m.quantity,
			balance: m.balance,
			reason: m.reason,
			who: actorName(m.actor, names),
			saleId: m.saleId,
			createdAt: m.createdAt.toISOString()
		}))
	};
}) satisfies PageServerLoad;

type Step = 'update' | 'delivery' | 'adjust' | 'archive';

/** Runs a core call for one of the forms; core's refusals become that form's field errors (404 stays 404). */
async function run<T>(step: Step, values: Record<string, string> | undefined, fn: () => Promise<T>) {
	try {
		await fn();
		return { step, saved: true as const };
	} catch (e) {
		if (isDomainError(e) && ['invalid_input', 'conflict', 'insufficient_stock'].includes(e.code)) {
			return fail(e.code === 'invalid_input' ? 400 : 409, { step, values, errors: productErrors(e) });
		}
		return throwAsHttpError(e);
	}
}

function context(locals: App.Locals, params: { id: string }): { tenantId: string; productId: string; actor: string; core: Core; currency: string } {
	const { account, tenant, core } = requirePermission(locals, 'inventory');
	return { tenantId: tenant.id, productId: productIdOf(params), actor: `staff:${account.id}`, core, currency: tenant.currency };
}

export const actions: Actions = {
	/** Saves name, codes, unit, cost, price and threshold (not stock). */
	update: async ({ request, locals, params }) => {
		const c = context(locals, params);
		const parsed = parseProductForm(await request.formData(), currencyDigits(c.currency), { withStock: false });
		if (!parsed.ok) return fail(400, { step: 'update' as Step, values: parsed.text, errors: parsed.errors });
		return run('update', parsed.text, () => c.core.inventory.update({ tenantId: c.tenantId, productId: c.productId, ...parsed.value }));
	},
	/** Goods received: adds the quantity as a "delivery" movement. */
	delivery: async ({ request, locals, params }) => {
		const c = context(locals, params);
		const parsed = parseDeliveryForm(await request.formData());
		if (!parsed.ok) return fail(400, { step: 'delivery' as Step, errors: parsed.errors });
		return run('delivery', undefined, () => c.core.inventory.recordDelivery({ tenantId: c.tenantId, productId: c.productId, ...parsed.value, actor: c.actor }));
	},
	/** A stock take (counted quantity) or a correction (signed change), with a reason. */
	adjust: async ({ request, locals, params }) => {
		const c = context(locals, params);
		const parsed = parseAdjustForm(await request.formData());
		if (!parsed.ok) return fail(400, { step: 'adjust' as Step, errors: parsed.errors });
		return run('adjust', undefined, () => c.core.inventory.adjustStock({ tenantId: c.tenantId, productId: c.productId, ...parsed.value, actor: c.actor }));
	},
	/** Hides the product from the till and the list; its history stays. */
	archive: async ({ locals, params }) => {
		const c = context(locals, params);
		return run('archive', undefined, () => c.core.inventory.archive({ tenantId: c.tenantId, productId: c.productId }));
	},
	/** Brings an archived product back. */
	restore: async ({ locals, params }) => {
		const c = context(locals, params);
		return run('archive', undefined, () => c.core.inventory.restore({ tenantId: c.tenantId, productId: c.productId }));
	}
};
