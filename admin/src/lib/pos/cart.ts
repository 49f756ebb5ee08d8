/**
 * The arithmetic of a sale before it is made (pure): line totals, subtotal, total, what the
 * payments cover, what is left and the cash change. Money in integer minor units. Core prices the
 * sale again on checkout and refuses payments that do not add up; this is what the till shows.
 */

/** How a payment is made. */
export type PaymentMethod = 'cash' | 'card' | 'other';

/** The payment methods in the order the till offers them. */
export const PAYMENT_METHODS: readonly { value: PaymentMethod; label: string }[] = [
	{ value: 'card', label: 'Card' },
	{ value: 'cash', label: 'Cash' },
	{ value: 'other', label: 'Other' }
];

/** A line in the cart: a service or a product at its unit price. */
export interface CartLine {
	kind: 'service' | 'product';
	/** The service's or product's id. */
	id: string;
	description: string;
	quantity: number;
	unitPriceMinor: number;
	/** Stock on hand of a product when the page loaded (null for services). */
	stock: number | null;
}

/** A payment as entered: `tenderedMinor` is the cash handed over (cash only), null when not entered. */
export interface PaymentDraft {
	method: PaymentMethod;
	amountMinor: number;
	tenderedMinor: number | null;
}

/** Totals of a cart: total = subtotal - discount + tip. */
export interface CartTotals {
	subtotalMinor: number;
	discountMinor: number;
	tipMinor: number;
	totalMinor: number;
}

/** What the payments do to the total. */
export interface Settlement {
	/** Sum of the payments' amounts. */
	paidMinor: number;
	/** total - paid: still to pay when positive, paid too much when negative. */
	remainingMinor: number;
	/** Cash to give back: the sum over cash payments of tendered - amount (when tendered is more). */
	changeMinor: number;
}

/** quantity * unit price. */
export function lineTotal(line: Pick<CartLine, 'quantity' | 'unitPriceMinor'>): number {
	return line.quantity * line.unitPriceMinor;
}

/** Subtotal of the lines, and the total after the discount and the tip. */
export function cartTotals(lines: readonly Pick<CartLine, 'quantity' | 'unitPriceMinor'>[], discountMinor: number, tipMinor: number): CartTotals {
	const subtotalMinor = lines.reduce((sum, l) => sum + lineTotal(l), 0);
	return { subtotalMinor, discountMinor, tipMinor, totalMinor: subtotalMinor - discountMinor + tipMinor };
}

/** How far `payments` go towards `totalMinor`, and the cash change due. */
export function settle(totalMinor: number, payments: readonly PaymentDraft[]): Settlement {
	const paidMinor = payments.reduce((sum, p) => sum + p.amountMinor, 0);
	const changeMinor = payments.reduce(
		(sum, p) => sum + (p.method === 'cash' && p.tenderedMinor !== null && p.tenderedMinor > p.amountMinor ? p.tenderedMinor - p.amountMinor : 0),
		0
	);
	return { paidMinor, remainingMinor: totalMinor - paidMinor, changeMinor };
}

/** Adds `line` to `lines` (a new array): the same service or product raises the quantity of its line. */
export function addLine(lines: readonly CartLine[], line: CartLine): CartLine[] {
	const existing = lines.findIndex((l) => l.kind === line.kind && l.id === line.id);
	if (existing < 0) return [...lines, line];
	return lines.map((l, i) => (i === existing ? { ...l, quantity: l.quantity + line.quantity } : l));
}
