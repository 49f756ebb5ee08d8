import { isDomainError } from '@chairside/core';
import { fail, redirect } from '@sveltejs/kit';
import { parseProductForm } from '$lib/inventory/product-form';
import { productErrors } from '$lib/inventory/product-errors.server';
import { currencyDigits } from '$lib/pos/money';
import { routes } from '$lib/routes';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	requirePermission(locals, 'inventory');
	return {};
};

export const actions: Actions = {
	/** Creates the product (opening stock as an "adjustment" movement) and goes to its page; 400 with field errors, 409 for a taken SKU. */
	default: async ({ request, locals }) => {
		const { account, tenant, core } = requirePermission(locals, 'inventory');
		const parsed = parseProductForm(await request.formData(), currencyDigits(tenant.currency), { withStock: true });
		if (!parsed.ok) return fail(400, { values: parsed.text, errors: parsed.errors });
		let id: string;
		try {
			id = (await core.inventory.create({ tenantId: tenant.id, ...parsed.value, actor: `staff:${account.id}` })).id;
		} catch (e) {
			if (isDomainError(e, 'conflict') || isDomainError(e, 'invalid_input')) {
				return fail(e.code === 'conflict' ? 409 : 400, { values: parsed.text, errors: productErrors(e) });
			}
			throw e;
		}
		redirect(303, routes.product(id));
	}
};
