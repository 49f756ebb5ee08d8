/**
 * Core's refusals of a product change as form field errors: `conflict` on the SKU (taken in this
 * salon), and `invalid_input` issues by field (priceMinor → price, lowStockThreshold → threshold, ...).
 */
import type { DomainError } from '@chairside/core';
import { fieldErrors } from '$lib/server/errors';

const FIELDS: Record<string, string> = {
	name: 'name',
	sku: 'sku',
	barcode: 'barcode',
	unit: 'unit',
	costMinor: 'cost',
	priceMinor: 'price',
	lowStockThreshold: 'threshold',
	stockOnHand: 'stock',
	quantity: 'quantity',
	delta: 'quantity',
	countedQuantity: 'quantity',
	reason: 'reason'
};

/** Field errors for a product, delivery or adjustment form from a core DomainError. */
export function productErrors(e: DomainError): Record<string, string> {
	if (e.code === 'conflict') return { sku: e.message };
	if (e.code === 'insufficient_stock') return { quantity: e.message };
	const errors: Record<string, string> = {};
	for (const [path, message] of Object.entries(fieldErrors(e))) errors[FIELDS[path] ?? 'form'] ??= message;
	if (Object.keys(errors).length === 0) errors.form = e.message;
	return errors;
}
