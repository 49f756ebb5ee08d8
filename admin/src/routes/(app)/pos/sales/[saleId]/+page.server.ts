import { isDomainError } from '@chairside/core';
import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { parseRefundForm } from '$lib/pos/refund-form';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

function saleIdOf(params: { saleId: string }): string {
	const parsed = z.uuid().safeParse(params.saleId);
	if (!parsed.success) error(404, { message: 'Sale was not found', code: 'not_found' });
	return parsed.data;
}

/** A sale's receipt (core.pos.getReceipt). 404 for an unknown sale or one of another salon. */
export const load = (async ({ locals, params }) => {
	const { tenant, core } = requirePermission(locals, 'pos');
	const receipt = await core.pos.getReceipt({ tenantId: tenant.id, saleId: saleIdOf(params) }).catch(throwAsHttpError);
	const { sale } = receipt;
	return {
		receipt: {
			salon: receipt.salon,
			client: receipt.client,
			booking: receipt.booking && { ...receipt.booking, startsAt: receipt.booking.startsAt.toISOString() },
			paidMinor: receipt.paidMinor,
			refundedMinor: receipt.refundedMinor,
			netMinor: receipt.netMinor,
			sale: {
				...sale,
				createdAt: sale.createdAt.toISOString(),
				payments: sale.payments.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() }))
			}
		}
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/**
	 * Refunds the whole sale or the quantities given per line, paid back by `method`; core puts
	 * products back into stock in the same transaction. 400 with field errors, 409 when the sale
	 * was refunded in full already, 404 for a sale of another salon.
	 */
	refund: async ({ request, locals, params }) => {
		const { account, tenant, core } = requirePermission(locals, 'pos');
		const saleId = saleIdOf(params);
		const sale = await core.pos.getSale({ tenantId: tenant.id, saleId }).catch(throwAsHttpError);
		const parsed = parseRefundForm(await request.formData(), sale.lines.map((l) => l.id));
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		try {
			const result = await core.pos.refund({ tenantId: tenant.id, saleId, ...parsed.value, actor: `staff:${account.id}` });
			return { refundedMinor: result.amountMinor, method: parsed.value.method };
		} catch (e) {
			if (isDomainError(e, 'invalid_input')) {
				const lineId = (e.details as { saleLineId?: string } | undefined)?.saleLineId;
				return fail(400, { errors: { ...(lineId ? { [`qty.${lineId}`]: e.message } : {}), form: e.message, ...(fieldErrors(e).method ? { method: e.message } : {}) } });
			}
			if (isDomainError(e, 'conflict')) return fail(409, { errors: { form: e.message } as Record<string, string> });
			return throwAsHttpError(e);
		}
	}
};
