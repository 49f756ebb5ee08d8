/**
 * The calendar's forms as the server validates them (zod), with the field errors people see.
 * Pure: the page server parses FormData with `parseForm`; the unit tests check the messages.
 */
import { z } from 'zod';
import { isLocalDate, parseWall } from '$lib/zone';

const uuid = (message: string) => z.uuid({ message });
const localDate = z.string().trim().refine(isLocalDate, 'Enter a date');
const clock = z
	.string()
	.trim()
	.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time such as 09:30');
const wallTime = z
	.string()
	.trim()
	.refine((v) => !Number.isNaN(parseWall(v)), 'Not a date and time');

const bookWhen = z.object({
	staffId: uuid('Choose a staff member'),
	date: localDate,
	time: clock,
	serviceId: uuid('Choose a service')
});
const bookWho = z
	.object({
		client: z.enum(['existing', 'new'], { message: 'Choose a client or add a new one' }),
		clientId: z.string().trim().optional(),
		clientName: z.string().trim().max(100, 'At most 100 characters').optional(),
		clientPhone: z.string().trim().max(64, 'At most 64 characters').optional()
	})
	.superRefine((v, ctx) => {
		if (v.client === 'existing' && !z.uuid().safeParse(v.clientId).success) {
			ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'Choose a client, or add a new one' });
		}
		if (v.client === 'new') {
			if (!v.clientName) ctx.addIssue({ code: 'custom', path: ['clientName'], message: "Enter the client's name" });
			if (!v.clientPhone) ctx.addIssue({ code: 'custom', path: ['clientPhone'], message: "Enter the client's phone number" });
		}
	});

/**
 * New booking at the desk: who (column), when, what, and an existing or a new client. The two
 * halves are checked independently, so every field error shows at once.
 */
export const bookFormSchema = z.intersection(bookWhen, bookWho);
/** A parsed new-booking form. */
export type BookForm = z.infer<typeof bookFormSchema>;

/** A drag (or the Move form): the booking, the column it lands in, the wall time it starts at. */
export const rescheduleFormSchema = z.object({
	bookingId: uuid('No booking given'),
	staffId: uuid('Choose a staff member'),
	start: wallTime
});

/** Mark arrived, completed, no-show, or undo to confirmed. */
export const statusFormSchema = z.object({
	bookingId: uuid('No booking given'),
	status: z.enum(['arrived', 'completed', 'no_show', 'confirmed'], { message: 'Unknown status' })
});

/** Cancel a booking (after the confirm step). */
export const cancelFormSchema = z.object({
	bookingId: uuid('No booking given'),
	reason: z.string().trim().max(500, 'At most 500 characters').optional()
});

/** Parsed form data, or the first error per field ("form" for a problem with the whole form). */
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string> };

/** Parses FormData (each field's first value; empty fields as absent) with `schema`. */
export function parseForm<T>(schema: z.ZodType<T>, form: FormData): Parsed<T> {
	const input: Record<string, string> = {};
	for (const [key, value] of form) {
		if (typeof value === 'string' && value.trim() !== '' && !(key in input)) input[key] = value;
	}
	const result = schema.safeParse(input);
	if (result.success) return { ok: true, data: result.data };
	const errors: Record<string, string> = {};
	for (const issue of result.error.issues) errors[issue.path.map(String).join('.') || 'form'] ??= issue.message;
	return { ok: false, errors };
}

/** The form's text values, to show them again next to field errors (never more than 200 characters each). */
export function formValues(form: FormData, fields: readonly string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const f of fields) {
		const v = form.get(f);
		if (typeof v === 'string') out[f] = v.slice(0, 200);
	}
	return out;
}
