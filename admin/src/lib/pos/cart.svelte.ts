/**
 * The till's state for one checkout (a Svelte 5 rune class): the lines, discount, tip, the split
 * payments already added and the payment being entered. The entered amount follows what is left
 * to pay until the user types one, so the default Pay pays the whole total with the chosen method.
 * All arithmetic is in ./cart.ts; money inputs are read with ./money.ts.
 */
import { addLine, cartTotals, settle, type CartLine, type CartTotals, type PaymentDraft, type PaymentMethod, type Settlement } from './cart';
import { currencyDigits, parseMoney, toMoneyInput, type MoneyParse } from './money';

function minorOf(parse: MoneyParse): number {
	return parse && 'minor' in parse ? parse.minor : 0;
}
function errorOf(parse: MoneyParse): string | undefined {
	return parse && 'error' in parse ? parse.error : undefined;
}

export class Cart {
	readonly currency: string;
	readonly locale: string;
	readonly digits: number;

	lines: CartLine[] = $state([]);
	discountText = $state('');
	tipText = $state('');
	/** Parts of a split payment already added. */
	splits: PaymentDraft[] = $state([]);
	/** The payment being entered. */
	method: PaymentMethod = $state('card');
	/** What the user typed as the amount; ignored while `amountEdited` is false. */
	amountText = $state('');
	amountEdited = $state(false);
	tenderedText = $state('');

	readonly discount: MoneyParse;
	readonly tip: MoneyParse;
	readonly totals: CartTotals;
	/** Left to pay before the payment being entered. */
	readonly dueMinor: number;
	/** The amount being entered: typed, or what is left to pay. */
	readonly amount: MoneyParse;
	readonly tendered: MoneyParse;
	/** The payment being entered, or null when its amount is blank, zero or invalid. */
	readonly entry: PaymentDraft | null;
	/** The split payments and the one being entered against the total. */
	readonly settlement: Settlement;

	constructor(options: { currency: string; locale: string; lines?: CartLine[] }) {
		this.currency = options.currency;
		this.locale = options.locale;
		this.digits = currencyDigits(options.currency);
		this.lines = options.lines ?? [];
		this.discount = $derived(parseMoney(this.discountText, this.digits));
		this.tip = $derived(parseMoney(this.tipText, this.digits));
		this.totals = $derived(cartTotals(this.lines, minorOf(this.discount), minorOf(this.tip)));
		this.dueMinor = $derived(this.totals.totalMinor - settle(this.totals.totalMinor, this.splits).paidMinor);
		this.amount = $derived(this.amountEdited ? parseMoney(this.amountText, this.digits) : { minor: Math.max(0, this.dueMinor) });
		this.tendered = $derived(this.method === 'cash' ? parseMoney(this.tenderedText, this.digits) : null);
		this.entry = $derived.by(() => {
			const amountMinor = minorOf(this.amount);
			if (amountMinor <= 0) return null;
			const tenderedMinor = this.tendered && 'minor' in this.tendered ? this.tendered.minor : null;
			return { method: this.method, amountMinor, tenderedMinor };
		});
		this.settlement = $derived(settle(this.totals.totalMinor, this.entry ? [...this.splits, this.entry] : this.splits));
	}

	/** Field errors of the money inputs, for showing before the server is asked. */
	get errors(): { discount?: string; tip?: string; amount?: string; tendered?: string } {
		const tenderedMinor = this.tendered && 'minor' in this.tendered ? this.tendered.minor : null;
		const amountMinor = minorOf(this.amount);
		return {
			discount:
				errorOf(this.discount) ??
				(this.totals.discountMinor > this.totals.subtotalMinor ? 'The discount is larger than the subtotal' : undefined),
			tip: errorOf(this.tip),
			amount: errorOf(this.amount),
			tendered:
				errorOf(this.tendered) ??
				(tenderedMinor !== null && tenderedMinor < amountMinor ? 'Less than the amount: enter what the client handed over' : undefined)
		};
	}

	/** The amount input's text: what the user typed, or what is left to pay. */
	get amountInput(): string {
		return this.amountEdited ? this.amountText : toMoneyInput(Math.max(0, this.dueMinor), this.currency, this.locale);
	}

	/** Money in minor units as an input shows it ("450.00"). */
	input(amountMinor: number): string {
		return toMoneyInput(amountMinor, this.currency, this.locale);
	}

	/** Adds one of a service or product; the same item again raises its quantity. */
	add(line: Omit<CartLine, 'quantity'> & { quantity?: number }): void {
		this.lines = addLine(this.lines, { ...line, quantity: line.quantity ?? 1 });
	}

	/** Sets a line's quantity (whole numbers from 1); anything else leaves it unchanged. */
	setQuantity(index: number, quantity: number): void {
		if (!Number.isInteger(quantity) || quantity < 1 || quantity > 10_000) return;
		this.lines = this.lines.map((l, i) => (i === index ? { ...l, quantity } : l));
	}

	removeLine(index: number): void {
		this.lines = this.lines.filter((_, i) => i !== index);
	}

	setAmount(text: string): void {
		this.amountText = text;
		this.amountEdited = true;
	}

	/** Follow the amount left to pay again. */
	resetAmount(): void {
		this.amountText = '';
		this.amountEdited = false;
	}

	/** Moves the payment being entered into the split payments; the next one starts at what is left. */
	addSplit(): boolean {
		const entry = this.entry;
		if (!entry || this.errors.amount || this.errors.tendered) return false;
		this.splits = [...this.splits, entry];
		this.resetAmount();
		this.tenderedText = '';
		return true;
	}

	removeSplit(index: number): void {
		this.splits = this.splits.filter((_, i) => i !== index);
	}
}
