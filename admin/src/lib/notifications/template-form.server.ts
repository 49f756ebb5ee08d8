/**
 * The WhatsApp template form (Settings → Templates), one per message kind, read on the server with
 * zod: name, language, the body parameters as an ordered comma list ("client_name, date, time"
 * fills {{1}}, {{2}}, {{3}}) and, for kinds with buttons, the quick replies in button order.
 * Leaves as core's MessageTemplateInput, or as field errors; core checks again (Meta's rules for
 * name and language) and `templateErrorField` maps its paths back to the fields.
 */
import { CLIENT_KINDS, TEMPLATE_PARAMETERS, TEMPLATE_QUICK_REPLIES, type MessageTemplateInput } from '@chairside/core';
import { z } from 'zod';
import { formValues, zodFieldErrors, type FormResult } from '$lib/settings/forms.server';

/** Field names of one template form (`kind` is hidden). */
export const TEMPLATE_FIELDS = ['kind', 'name', 'language', 'parameters', 'quickReplies'] as const;

/** A template form's text values by field name. */
export type TemplateFormValues = Record<(typeof TEMPLATE_FIELDS)[number], string>;

/** Kinds whose messages carry buttons (the 1 h reminder: confirm, reschedule, cancel). */
export const KINDS_WITH_BUTTONS: readonly string[] = ['reminder_1h'];

/** "a, b,c" or "a b" → ["a", "b", "c"]. */
const list = z.string().transform((v) => v.split(/[\s,]+/).filter(Boolean));
const oneOf = (allowed: readonly string[], what: string) => (items: string[], ctx: z.RefinementCtx) => {
	const unknown = items.find((i) => !allowed.includes(i));
	if (unknown) ctx.addIssue({ code: 'custom', message: `Unknown ${what} “${unknown}”: use ${allowed.join(', ')}` });
};

const schema = z.object({
	kind: z.enum(CLIENT_KINDS, 'Pick a message kind'),
	name: z
		.string()
		.trim()
		.min(1, 'Enter the template’s name at WhatsApp')
		.regex(/^[a-z0-9_]{1,512}$/, 'Use the name as WhatsApp shows it: lowercase letters, digits and _'),
	language: z
		.string()
		.trim()
		.min(1, 'Enter the template’s language, e.g. en_US or da')
		.regex(/^[a-z]{2,3}(_[A-Z]{2,4})?$/, 'Use a WhatsApp language code such as en, en_US or da'),
	parameters: list.superRefine(oneOf(TEMPLATE_PARAMETERS, 'parameter')).pipe(z.array(z.enum(TEMPLATE_PARAMETERS)).max(10, 'At most 10 parameters')),
	quickReplies: list
		.superRefine(oneOf(TEMPLATE_QUICK_REPLIES, 'button'))
		.refine((a) => new Set(a).size === a.length, 'Name each button once')
		.pipe(z.array(z.enum(TEMPLATE_QUICK_REPLIES)).max(3, 'At most 3 buttons'))
});

/** Reads one template form. */
export function readTemplateForm(form: FormData): FormResult<MessageTemplateInput> {
	const parsed = schema.safeParse(formValues(form, TEMPLATE_FIELDS));
	if (!parsed.success) return { ok: false, errors: zodFieldErrors(parsed.error) };
	const v = parsed.data;
	return { ok: true, value: { channel: 'whatsapp', kind: v.kind, name: v.name, language: v.language, parameters: v.parameters, quickReplies: v.quickReplies } };
}

/** Core's field path ("parameters.2", "quickReplies") → the form's field name. */
export function templateErrorField(path: string): string {
	const head = path.split('.')[0] ?? '';
	return (TEMPLATE_FIELDS as readonly string[]).includes(head) ? head : 'form';
}
