/**
 * Server side of the till, shared by /pos/checkout (a sale without a booking) and
 * /pos/checkout/[bookingId]: what can be sold, and the checkout action that turns the form into
 * one `core.pos.checkout` call (sale, payments and stock in one transaction) and its errors into
 * field errors.
 */
import { isDomainError, type Core, type DomainError } from '@chairside/core';
import { fail, redirect, type ActionFailure } from '@sveltejs/kit';
import { formatMoney } from '$lib/format';
import { routes } from '$lib/routes';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { SellableItem } from './catalog-search';
import { parseCheckoutForm, type CheckoutErrors } from './checkout-form';
import { currencyDigits } from './money';

/** What a failed checkout sends back to the page. */
export interface CheckoutFailure {
	errors: CheckoutErrors;
	/** Set when the booking has been checked out already: link to that sale. */
	existingSaleId?: string;
}

/** Active services and products of the salon for the till's search, services first (at most 1000 products). */
export async function loadSellables(core: Core, tenantId: string): Promise<SellableItem[]> {
	const [services, products] = await Promise.all([core.catalog.listServices(tenantId), core.inventory.list({ tenantId, limit: 1000 })]);
	return [
		...services.map((s) => ({ kind: 'service' as const, id: s.id, name: s.name, priceMinor: s.priceMinor, sku: null, barcode: null, stock: null, unit: null })),
		...products.map((p) => ({
			kind: 'product' as const,
			id: p.id,
			name: p.name,
			priceMinor: p.priceMinor,
			sku: p.sku,
			barcode: p.barcode,
			stock: p.stockOnHand,
			unit: p.unit
		}))
	];
}

/**
 * The checkout action: reads the form (400 with field errors), checks out through core and
 * redirects (303) to the receipt. Core's refusals come back as field errors: 409 for
 * `insufficient_stock` (on the product's line, with what is available), `conflict` (with
 * `existingSaleId`) and `booking_not_changeable`; 400 for payments that do not add up and other
 * invalid input. `not_found` (a booking, product or service of another salon) answers 404.
 */
export async function checkoutAction(
	event: { request: Request; locals: App.Locals },
	bookingId?: string
): Promise<ActionFailure<CheckoutFailure>> {
	const { account, tenant, core } = requirePermission(event.locals, 'pos');
	const parsed = parseCheckoutForm(await event.request.formData(), currencyDigits(tenant.currency));
	if (!parsed.ok) return fail(400, { errors: parsed.errors });
	let saleId: string;
	try {
		const sale = await core.pos.checkout({ tenantId: tenant.id, ...(bookingId && { bookingId }), ...parsed.value, actor: `staff:${account.id}` });
		saleId = sale.id;
	} catch (e) {
		return checkoutFailure(e, core, tenant);
	}
	redirect(303, routes.sale(saleId));
}

const FIELD_OF: Record<string, string> = { discountMinor: 'discount', tipMinor: 'tip', payments: 'form', currency: 'form' };

async function checkoutFailure(
	e: unknown,
	core: Core,
	tenant: { id: string; currency: string; locale: string }
): Promise<ActionFailure<CheckoutFailure>> {
	if (!isDomainError(e)) throw e;
	const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
	switch (e.code) {
		case 'insufficient_stock': {
			const { productId, available } = e.details as { productId: string; available: number };
			const product = await core.inventory.get({ tenantId: tenant.id, productId }).catch(() => null);
			const what = product ? `"${product.name}"` : 'this product';
			return fail(409, {
				errors: {
					[`product:${productId}`]: `Only ${available} in stock`,
					form: `Not enough of ${what} in stock: ${available} ${product?.unit ?? ''} available.`.replace(' .', '.').replace(/\s+/g, ' ')
				}
			});
		}
		case 'conflict': {
			const saleId = (e.details as { saleId?: string } | undefined)?.saleId;
			return fail(409, { errors: { form: e.message }, ...(saleId && { existingSaleId: saleId }) });
		}
		case 'booking_not_changeable':
			return fail(409, { errors: { form: e.message } });
		case 'invalid_input': {
			const details = e.details as { totalMinor?: number; paidMinor?: number } | undefined;
			if (details?.totalMinor !== undefined && details.paidMinor !== undefined) {
				const gap = details.totalMinor - details.paidMinor;
				return fail(400, {
					errors: {
						form: `The payments add up to ${money(details.paidMinor)} but the total is ${money(details.totalMinor)}: ${money(Math.abs(gap))} ${gap > 0 ? 'still to pay' : 'too much'}.`
					}
				});
			}
			return fail(400, { errors: invalidInputErrors(e) });
		}
		default:
			return throwAsHttpError(e);
	}
}

/** Core's invalid_input issues by form field; core's message says what is wrong in words. */
function invalidInputErrors(e: DomainError): CheckoutErrors {
	const errors: CheckoutErrors = {};
	for (const path of Object.keys(fieldErrors(e))) {
		const field = path.startsWith('lines') ? 'lines' : (FIELD_OF[path] ?? 'form');
		errors[field] ??= e.message;
	}
	if (Object.keys(errors).length === 0) errors.form = e.message;
	return errors;
}
