/**
 * Reading the inventory forms (pure; the server actions use them before asking core): a product
 * (create and edit), a delivery and a stock adjustment. Money inputs accept "12.50" and "12,50"
 * (see $lib/pos/money); counts are whole numbers. Field names are the keys of the error maps.
 */
import { z } from 'zod';
import { parseMoney } from '$lib/pos/money';

/** Field errors by field name; `form` is for the whole form. */
export type FormErrors = Record<string, string>;

/** The product form's text, to show it again after an error. */
export type ProductFormText = Record<'name' | 'sku' | 'barcode' | 'unit' | 'cost' | 'price' | 'threshold' | 'stock', string>;

/** A product as core's `inventory.create` / `update` take it (money in minor units). */
export interface ProductFormValue {
	name: string;
	sku: string | null;
	barcode: string | null;
	unit: string;
	costMinor: number;
	priceMinor: number;
	lowStockThreshold: number;
	/** Opening stock (create only). */
	stockOnHand?: number;
}

const count = (label: string) =>
	z
		.string()
		.trim()
		.transform((s) => (s === '' ? '0' : s))
		.pipe(z.string().regex(/^\d+$/, `${label} must be a whole number of 0 or more`))
		.transform(Number)
		.pipe(z.number().max(1_000_000, `${label} is too large`));

const productText = z.object({
	name: z.string().trim().min(1, 'Enter a name').max(200, 'At most 200 characters'),
	sku: z.string().trim().max(64, 'At most 64 characters'),
	barcode: z.string().trim().max(64, 'At most 64 characters'),
	unit: z
		.string()
		.trim()
		.max(16, 'At most 16 characters')
		.transform((u) => u || 'pcs'),
	threshold: count('The threshold'),
	stock: count('The stock')
});

function textOf(form: FormData, name: string): string {
	const v = form.get(name);
	return typeof v === 'string' ? v : '';
}

function firstIssues(error: z.ZodError): FormErrors {
	const errors: FormErrors = {};
	for (const issue of error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
	return errors;
}

/** Reads the product form; `withStock` for a new product (its opening stock). Money with `digits` minor digits. */
export function parseProductForm(
	form: FormData,
	digits: number,
	options: { withStock: boolean }
): { ok: true; value: ProductFormValue; text: ProductFormText } | { ok: false; errors: FormErrors; text: ProductFormText } {
	const text = Object.fromEntries(
		(['name', 'sku', 'barcode', 'unit', 'cost', 'price', 'threshold', 'stock'] as const).map((k) => [k, textOf(form, k)])
	) as ProductFormText;
	// Stock changes through movements: only a new product reads its opening stock.
	const schema = options.withStock ? productText : productText.extend({ stock: z.string().transform(() => 0) });
	const parsed = schema.safeParse(text);
	const errors: FormErrors = parsed.success ? {} : firstIssues(parsed.error);
	const cost = parseMoney(text.cost, digits);
	const price = parseMoney(text.price, digits);
	if (cost && 'error' in cost) errors.cost = cost.error;
	if (!price) errors.price = 'Enter a price';
	else if ('error' in price) errors.price = price.error;
	if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors, text };
	const d = parsed.data;
	return {
		ok: true,
		text,
		value: {
			name: d.name,
			sku: d.sku || null,
			barcode: d.barcode || null,
			unit: d.unit,
			costMinor: cost && 'minor' in cost ? cost.minor : 0,
			priceMinor: price && 'minor' in price ? price.minor : 0,
			lowStockThreshold: d.threshold,
			...(options.withStock && { stockOnHand: d.stock })
		}
	};
}

const deliverySchema = z.object({
	quantity: z.coerce.number({ error: 'Enter how many arrived' }).int('Enter a whole number').min(1, 'At least 1').max(1_000_000, 'Too many'),
	note: z.string().trim().max(500, 'At most 500 characters')
});

/** Reads the delivery form: `quantity` received (1 or more) and an optional `note`. */
export function parseDeliveryForm(form: FormData): { ok: true; value: { quantity: number; reason?: string } } | { ok: false; errors: FormErrors } {
	const parsed = deliverySchema.safeParse({ quantity: textOf(form, 'quantity').trim() || undefined, note: textOf(form, 'note') });
	if (!parsed.success) return { ok: false, errors: firstIssues(parsed.error) };
	return { ok: true, value: { quantity: parsed.data.quantity, ...(parsed.data.note && { reason: parsed.data.note }) } };
}

const adjustSchema = z.discriminatedUnion('mode', [
	z.object({
		mode: z.literal('count'),
		quantity: z.coerce.number({ error: 'Enter the quantity counted' }).int('Enter a whole number').min(0, 'At least 0').max(1_000_000, 'Too many'),
		reason: z.string().trim().min(1, 'Say why the stock changes').max(500, 'At most 500 characters')
	}),
	z.object({
		mode: z.literal('delta'),
		quantity: z.coerce
			.number({ error: 'Enter the change, e.g. -2' })
			.int('Enter a whole number')
			.min(-1_000_000, 'Too many')
			.max(1_000_000, 'Too many')
			.refine((n) => n !== 0, 'A change of 0 changes nothing'),
		reason: z.string().trim().min(1, 'Say why the stock changes').max(500, 'At most 500 characters')
	})
]);

/**
 * Reads the stock adjustment form: `mode` "count" (`quantity` is what was counted on the shelf) or
 * "delta" (`quantity` is a signed change such as -2), and a required `reason`.
 */
export function parseAdjustForm(
	form: FormData
): { ok: true; value: { countedQuantity: number; reason: string } | { delta: number; reason: string } } | { ok: false; errors: FormErrors } {
	const raw = textOf(form, 'quantity').trim().replace(/^[−–]/, '-');
	const parsed = adjustSchema.safeParse({ mode: textOf(form, 'mode'), quantity: raw === '' ? undefined : raw, reason: textOf(form, 'reason') });
	if (!parsed.success) return { ok: false, errors: firstIssues(parsed.error) };
	const { mode, quantity, reason } = parsed.data;
	return { ok: true, value: mode === 'count' ? { countedQuantity: quantity, reason } : { delta: quantity, reason } };
}
