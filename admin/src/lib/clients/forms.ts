/**
 * The client forms (new client, edit) read with zod on the server: text in, core's CrmService input
 * out, or field errors keyed by the form's field names (which are core's field names too, so core's
 * `invalid_input` issues land on the same fields). Phones are checked by core (`parsePhone`).
 */
import { z } from 'zod';

/** Field name → first message; `form` for the form as a whole. */
export type ClientFormErrors = Record<string, string>;

function text(form: FormData, key: string): string {
	const v = form.get(key);
	return typeof v === 'string' ? v : '';
}

const name = z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters');
const phone = z
	.string()
	.trim()
	.max(64, 'Enter a phone number')
	.transform((v) => v || null);

/** The "new client" form (desk: name and phone). */
export const newClientSchema = z.object({ name, phone });

/** Reads the new client form. */
export function readNewClientForm(form: FormData): { ok: true; value: z.output<typeof newClientSchema> } | { ok: false; errors: ClientFormErrors } {
	const parsed = newClientSchema.safeParse({ name: text(form, 'name'), phone: text(form, 'phone') });
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: firstErrors(parsed.error) };
}

/** Tags typed as one line: "vip, colour client" → ["vip", "colour client"]. */
export function parseTags(line: string): string[] {
	return line
		.split(',')
		.map((t) => t.trim().replace(/\s+/g, ' '))
		.filter(Boolean);
}

/** The edit form: every field of the client page. Birthday "YYYY-MM-DD" or "MM-DD" (core reads it), blank clears. */
export const clientEditSchema = z.object({
	name,
	phone,
	birthday: z
		.string()
		.trim()
		.max(10, 'Use YYYY-MM-DD or MM-DD')
		.regex(/^$|^(?:\d{4}-)?\d{2}-\d{2}$/, 'Use YYYY-MM-DD or MM-DD')
		.transform((v) => v || null),
	notes: z
		.string()
		.max(5000, 'Use at most 5000 characters')
		.transform((v) => v.trim() || null),
	tags: z
		.string()
		.max(2000, 'Too many tags')
		.transform(parseTags)
		.pipe(z.array(z.string().max(40, 'A tag may have at most 40 characters')).max(30, 'Use at most 30 tags')),
	marketingConsent: z
		.string()
		.optional()
		.transform((v) => v === 'on')
});

/** What the edit form holds as typed (to show again after an error). */
export interface ClientEditValues {
	name: string;
	phone: string;
	birthday: string;
	notes: string;
	tags: string;
	marketingConsent: boolean;
}

/** Reads the edit form. */
export function readClientEditForm(
	form: FormData
): { ok: true; value: z.output<typeof clientEditSchema>; values: ClientEditValues } | { ok: false; errors: ClientFormErrors; values: ClientEditValues } {
	const values: ClientEditValues = {
		name: text(form, 'name'),
		phone: text(form, 'phone'),
		birthday: text(form, 'birthday'),
		notes: text(form, 'notes'),
		tags: text(form, 'tags'),
		marketingConsent: form.get('marketingConsent') === 'on'
	};
	const parsed = clientEditSchema.safeParse({ ...values, marketingConsent: form.get('marketingConsent') ?? undefined });
	return parsed.success ? { ok: true, value: parsed.data, values } : { ok: false, errors: firstErrors(parsed.error), values };
}

/** Core's field path → the form field: tag issues ("tags.2") go to the tags line. */
export function clientErrorField(path: string): string {
	return path.startsWith('tags') ? 'tags' : path || 'form';
}

function firstErrors(error: z.ZodError): ClientFormErrors {
	const out: ClientFormErrors = {};
	for (const issue of error.issues) out[clientErrorField(issue.path.join('.'))] ??= issue.message;
	return out;
}

/** The message for a phone core refused (`invalid_phone` with details.example). */
export function invalidPhoneMessage(example: unknown): string {
	return typeof example === 'string' ? `Enter a valid phone number, e.g. ${example}` : 'Enter a valid phone number';
}
