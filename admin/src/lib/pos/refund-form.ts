/**
 * Reading the refund form of a receipt (pure). Fields: `scope` ("all": everything not yet
 * refunded; "lines": the quantities given), `qty.<saleLineId>` (how many of each line to refund,
 * blank or 0 = none), `method` (cash, card or other), `reason` (optional, at most 500 characters).
 */
import { z } from 'zod';
import type { PaymentMethod } from './cart';

/** What core's `pos.refund` takes from the form; no `lines` refunds everything left. */
export interface RefundFormValue {
	lines?: { saleLineId: string; quantity: number }[];
	method: PaymentMethod;
	reason?: string;
}

const schema = z.object({
	scope: z.enum(['all', 'lines'], { error: 'Choose what to refund' }),
	method: z.enum(['cash', 'card', 'other'], { error: 'Choose how the money goes back' }),
	reason: z.string().trim().max(500, 'At most 500 characters')
});
const quantity = z.coerce.number({ error: 'Enter a number' }).int('Enter a whole number').min(0, 'At least 0').max(10_000, 'Too many');

/** Reads and checks the refund form; `lineIds` are the sale's lines (other `qty.` fields are ignored). */
export function parseRefundForm(form: FormData, lineIds: readonly string[]): { ok: true; value: RefundFormValue } | { ok: false; errors: Record<string, string> } {
	const text = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v : '';
	};
	const errors: Record<string, string> = {};
	const parsed = schema.safeParse({ scope: text('scope'), method: text('method'), reason: text('reason') });
	if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
	const lines: { saleLineId: string; quantity: number }[] = [];
	if (parsed.success && parsed.data.scope === 'lines') {
		for (const id of lineIds) {
			const raw = text(`qty.${id}`).trim();
			if (raw === '') continue;
			const q = quantity.safeParse(raw);
			if (!q.success) errors[`qty.${id}`] = q.error.issues[0]?.message ?? 'Enter a number';
			else if (q.data > 0) lines.push({ saleLineId: id, quantity: q.data });
		}
		if (lines.length === 0 && Object.keys(errors).length === 0) errors.form = 'Enter how many of which line to refund, or refund everything';
	}
	if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
	const reason = parsed.data.reason || undefined;
	return {
		ok: true,
		value: { ...(parsed.data.scope === 'lines' && { lines }), method: parsed.data.method, ...(reason && { reason }) }
	};
}
