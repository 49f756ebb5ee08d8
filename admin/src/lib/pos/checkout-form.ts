/**
 * Reading the checkout form (pure; the server action uses it before asking core). Field names:
 * `line.kind`, `line.id`, `line.quantity` (repeated, one per line); `discount`, `tip` (money
 * inputs); split payments already added as `split.method`, `split.amount`, `split.tendered`
 * (repeated); the payment being entered as `method`, `amount`, `tendered`; `currency`.
 * A payment with a blank or zero amount is left out (core then says what is missing).
 */
import { z } from 'zod';
import { PAYMENT_METHODS, type PaymentMethod } from './cart';
import { parseMoney } from './money';

/** What core's `pos.checkout` takes from the form (tenant, booking and actor are added by the action). */
export interface CheckoutFormValue {
	lines: ({ kind: 'service'; serviceId: string; quantity: number } | { kind: 'product'; productId: string; quantity: number })[];
	discountMinor: number;
	tipMinor: number;
	payments: { method: PaymentMethod; amountMinor: number; tenderedMinor?: number }[];
	currency: string;
}

/** Field errors of the checkout form: `lines`, `discount`, `tip`, `amount`, `tendered`, `split`, `form`, or `product:<id>`. */
export type CheckoutErrors = Record<string, string>;

const methods = PAYMENT_METHODS.map((m) => m.value) as [PaymentMethod, ...PaymentMethod[]];
const lineSchema = z.object({
	kind: z.enum(['service', 'product'], { error: 'Unknown kind of line' }),
	id: z.uuid({ error: 'Unknown item' }),
	quantity: z.coerce.number({ error: 'Enter a quantity' }).int('Enter a whole quantity').min(1, 'At least 1').max(10_000, 'At most 10 000')
});

/** Reads and checks the checkout form; money with `digits` minor digits. */
export function parseCheckoutForm(form: FormData, digits: number): { ok: true; value: CheckoutFormValue } | { ok: false; errors: CheckoutErrors } {
	const errors: CheckoutErrors = {};
	const text = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v : '';
	};
	const all = (name: string) => form.getAll(name).map((v) => (typeof v === 'string' ? v : ''));

	const kinds = all('line.kind');
	const ids = all('line.id');
	const quantities = all('line.quantity');
	const lines: CheckoutFormValue['lines'] = [];
	if (kinds.length === 0) errors.lines = 'Add a service or a product';
	if (kinds.length > 100) errors.lines = 'At most 100 lines';
	kinds.slice(0, 100).forEach((kind, i) => {
		const parsed = lineSchema.safeParse({ kind, id: ids[i], quantity: quantities[i] });
		if (!parsed.success) {
			errors.lines ??= parsed.error.issues[0]?.message ?? 'Check the lines';
			return;
		}
		const { id, quantity } = parsed.data;
		lines.push(parsed.data.kind === 'service' ? { kind: 'service', serviceId: id, quantity } : { kind: 'product', productId: id, quantity });
	});

	const money = (name: string): number => {
		const parsed = parseMoney(text(name), digits);
		if (parsed && 'error' in parsed) errors[name] = parsed.error;
		return parsed && 'minor' in parsed ? parsed.minor : 0;
	};
	const discountMinor = money('discount');
	const tipMinor = money('tip');

	const payments: CheckoutFormValue['payments'] = [];
	const payment = (methodText: string, amountText: string, tenderedText: string, field: 'split' | 'entry') => {
		const method = z.enum(methods).safeParse(methodText);
		if (!method.success) {
			errors[field === 'split' ? 'split' : 'method'] = 'Choose cash, card or other';
			return;
		}
		const amount = parseMoney(amountText, digits);
		if (amount && 'error' in amount) {
			errors[field === 'split' ? 'split' : 'amount'] = amount.error;
			return;
		}
		if (!amount || amount.minor === 0) return;
		const tendered = method.data === 'cash' ? parseMoney(tenderedText, digits) : null;
		if (tendered && 'error' in tendered) {
			errors[field === 'split' ? 'split' : 'tendered'] = tendered.error;
			return;
		}
		if (tendered && tendered.minor < amount.minor) {
			errors[field === 'split' ? 'split' : 'tendered'] = 'Less than the amount: enter what the client handed over';
			return;
		}
		payments.push({ method: method.data, amountMinor: amount.minor, ...(tendered && { tenderedMinor: tendered.minor }) });
	};
	const splitMethods = all('split.method');
	const splitAmounts = all('split.amount');
	const splitTendered = all('split.tendered');
	if (splitMethods.length > 9) errors.split = 'At most 10 payments';
	splitMethods.slice(0, 9).forEach((m, i) => payment(m, splitAmounts[i] ?? '', splitTendered[i] ?? '', 'split'));
	payment(text('method') || 'card', text('amount'), text('tendered'), 'entry');

	const currency = text('currency');
	if (!/^[A-Z]{3}$/.test(currency)) errors.form = 'The form is incomplete: reload the page';

	if (Object.keys(errors).length > 0) return { ok: false, errors };
	return { ok: true, value: { lines, discountMinor, tipMinor, payments, currency } };
}
