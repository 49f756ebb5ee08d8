/**
 * Searching what the till sells (pure): services and products matched by name, SKU or barcode,
 * ignoring case and accents; an exact SKU or barcode (a scanned code) comes first.
 */

/** Something that can be added to a sale. Money in minor units. */
export interface SellableItem {
	kind: 'service' | 'product';
	id: string;
	name: string;
	priceMinor: number;
	sku: string | null;
	barcode: string | null;
	/** Stock on hand of a product; null for services. */
	stock: number | null;
	unit: string | null;
}

function fold(s: string): string {
	return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Items whose name, SKU or barcode contains every word of `query` (case and accents ignored), at
 * most `limit`; exact SKU/barcode matches first, then the catalog's order. A blank query returns
 * the first `limit` items.
 */
export function searchSellables(items: readonly SellableItem[], query: string, limit = 20): SellableItem[] {
	const words = fold(query).split(/\s+/).filter(Boolean);
	if (words.length === 0) return items.slice(0, limit);
	const q = fold(query.trim());
	const exact: SellableItem[] = [];
	const others: SellableItem[] = [];
	for (const item of items) {
		const codes = [item.sku, item.barcode].filter((c): c is string => !!c).map(fold);
		const haystack = [fold(item.name), ...codes].join(' ');
		if (!words.every((w) => haystack.includes(w))) continue;
		(codes.includes(q) ? exact : others).push(item);
	}
	return [...exact, ...others].slice(0, limit);
}
