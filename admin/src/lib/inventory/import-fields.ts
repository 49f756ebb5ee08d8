/**
 * The product fields a spreadsheet column can be mapped to, with labels for the mapping selects
 * (browser-safe: only a type comes from core, whose IMPORT_FIELDS lists the same fields).
 */
import type { ImportField } from '@chairside/core';

/** Label of each importable field, in the order the mapping shows them. */
export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
	name: 'Name',
	sku: 'SKU',
	barcode: 'Barcode',
	unit: 'Unit',
	cost: 'Cost',
	price: 'Price',
	stock: 'Stock (counted)',
	threshold: 'Low-stock threshold'
};

/** The importable fields in display order. */
export const IMPORT_FIELD_ORDER = Object.keys(IMPORT_FIELD_LABELS) as ImportField[];
