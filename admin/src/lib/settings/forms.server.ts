/**
 * The settings forms read on the server with zod: every field arrives as text and leaves as the
 * shape core's CatalogAdminService takes, or as field errors keyed by the form's field names.
 * Core validates again (ranges, zones, currencies); its `invalid_input` issues use the same names.
 */
import { z } from 'zod';
import { OVERRIDE_ROWS, overrideRangeName, readRanges, type MinuteRange } from './hours';
import { parsePriceInput } from './money.server';
import { fromDateTimeLocal } from './time';

/** Field name → first message. `form` is for the form as a whole. */
export type FieldErrors = Record<string, string>;

/** A parsed form: the value for core, or errors plus what was typed (to show it again). */
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** The first message per field of a zod error, keyed by its dotted path. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
	const out: FieldErrors = {};
	for (const issue of error.issues) out[issue.path.join('.') || 'form'] ??= issue.message;
	return out;
}

/** The text values of `keys` in a submitted form ('' when missing; files count as missing). */
export function formValues<K extends string>(form: FormData, keys: readonly K[]): Record<K, string> {
	const out = {} as Record<K, string>;
	for (const key of keys) {
		const v = form.get(key);
		out[key] = typeof v === 'string' ? v : '';
	}
	return out;
}

const wholeNumber = (what: string) =>
	z
		.string()
		.trim()
		.min(1, `Enter ${what}`)
		.regex(/^\d{1,6}$/, 'Enter a whole number')
		.transform(Number);
const optionalWholeNumber = z
	.string()
	.trim()
	.regex(/^\d{0,6}$/, 'Enter a whole number')
	.transform((v) => (v === '' ? 0 : Number(v)));
const checkbox = z
	.string()
	.optional()
	.transform((v) => v === 'on' || v === 'true');

function isLocale(value: string): boolean {
	try {
		return Intl.getCanonicalLocales(value).length === 1;
	} catch {
		return false;
	}
}

/** Field names of the salon form (the same as core's SalonSettings). */
export const SALON_FIELDS = [
	'name',
	'timeZone',
	'currency',
	'locale',
	'country',
	'slotStepMinutes',
	'minimumNoticeMinutes',
	'maximumDaysAhead',
	'holdMinutes',
	'cancellationCutoffMinutes'
] as const;

/** The salon details and booking rules form → core's SalonSettings. */
export const salonFormSchema = z.object({
	name: z.string().trim().min(1, 'Enter the salon name').max(100, 'Use at most 100 characters'),
	timeZone: z.string().trim().min(1, 'Pick a time zone'),
	currency: z
		.string()
		.trim()
		.toUpperCase()
		.regex(/^[A-Z]{3}$/, 'Use a three-letter currency code, e.g. EUR'),
	locale: z
		.string()
		.trim()
		.min(2, 'Enter a language tag, e.g. en or da-DK')
		.max(35)
		.refine(isLocale, 'Enter a language tag, e.g. en or da-DK'),
	country: z
		.string()
		.trim()
		.toUpperCase()
		.regex(/^[A-Z]{2}$/, 'Use a two-letter country code, e.g. DK'),
	slotStepMinutes: wholeNumber('the slot step'),
	minimumNoticeMinutes: wholeNumber('the minimum notice'),
	maximumDaysAhead: wholeNumber('how many days ahead'),
	holdMinutes: wholeNumber('the hold time'),
	cancellationCutoffMinutes: wholeNumber('the cancellation cut-off')
});

/** Reads the salon form. */
export function readSalonForm(form: FormData): FormResult<z.output<typeof salonFormSchema>> {
	const parsed = salonFormSchema.safeParse(formValues(form, SALON_FIELDS));
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: zodFieldErrors(parsed.error) };
}

/** Field names of the service form (text fields; `staffIds` may repeat, `active` is a checkbox). */
export const SERVICE_FIELDS = ['name', 'category', 'durationMinutes', 'price', 'bufferBeforeMinutes', 'bufferAfterMinutes', 'active'] as const;

const serviceFormSchema = z.object({
	name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
	category: z
		.string()
		.trim()
		.max(60, 'Use at most 60 characters')
		.transform((v) => v || null),
	durationMinutes: wholeNumber('the duration'),
	price: z.string().max(40, 'Enter an amount'),
	bufferBeforeMinutes: optionalWholeNumber,
	bufferAfterMinutes: optionalWholeNumber,
	active: checkbox,
	staffIds: z.array(z.uuid('Pick staff from the list')).max(200)
});

/** What `saveService` takes: price in minor units of the salon currency. */
export interface ServiceFormValue {
	name: string;
	category: string | null;
	durationMinutes: number;
	priceMinor: number;
	bufferBeforeMinutes: number;
	bufferAfterMinutes: number;
	active: boolean;
	staffIds: string[];
}

/** Reads the service form; the price is read in `currency` (see parsePriceInput). */
export function readServiceForm(form: FormData, currency: string): FormResult<ServiceFormValue> {
	const raw = { ...formValues(form, SERVICE_FIELDS), active: form.get('active') ?? undefined, staffIds: form.getAll('staffIds') };
	const parsed = serviceFormSchema.safeParse(raw);
	const errors = parsed.success ? {} : zodFieldErrors(parsed.error);
	const price = parsePriceInput(typeof raw.price === 'string' ? raw.price : '', currency);
	if ('error' in price) errors.price ??= price.error;
	if (!parsed.success || 'error' in price) return { ok: false, errors };
	const { price: _typed, ...rest } = parsed.data;
	return { ok: true, value: { ...rest, priceMinor: price.minor } };
}

/** Core's field paths for a service → the form's field names (the price is typed, stored as priceMinor). */
export function serviceErrorField(path: string): string {
	return path === 'priceMinor' ? 'price' : path;
}

const staffFormSchema = z.object({
	name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
	active: checkbox,
	serviceIds: z.array(z.uuid('Pick services from the list')).max(200)
});

/** Reads the staff member form (name, active, which services). */
export function readStaffForm(form: FormData): FormResult<z.output<typeof staffFormSchema>> {
	const parsed = staffFormSchema.safeParse({
		name: formValues(form, ['name']).name,
		active: form.get('active') ?? undefined,
		serviceIds: form.getAll('serviceIds')
	});
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: zodFieldErrors(parsed.error) };
}

const isoDate = z
	.string()
	.trim()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'Pick a date')
	.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Pick a date');

/**
 * The date override form: a local date and either "closed" or up to OVERRIDE_ROWS ranges of hours
 * (which replace that day's weekly hours and breaks).
 */
export function readOverrideForm(form: FormData): FormResult<{ date: string; ranges: MinuteRange[] }> {
	const { date, mode } = formValues(form, ['date', 'mode']);
	const errors: FieldErrors = {};
	const day = isoDate.safeParse(date);
	if (!day.success) errors.date = day.error.issues[0]?.message ?? 'Pick a date';
	const parsedMode = z.enum(['closed', 'hours']).safeParse(mode);
	if (!parsedMode.success) errors.mode = 'Choose closed or opening hours';
	let ranges: MinuteRange[] = [];
	if (parsedMode.success && parsedMode.data === 'hours') {
		const rows = Array.from({ length: OVERRIDE_ROWS }, (_, i) => formValues(form, [overrideRangeName(i, 'start'), overrideRangeName(i, 'end')]));
		const read = readRanges(
			rows.map((r, i) => ({ start: r[overrideRangeName(i, 'start')], end: r[overrideRangeName(i, 'end')] })),
			(i) => ({ start: overrideRangeName(i, 'start'), end: overrideRangeName(i, 'end') })
		);
		Object.assign(errors, read.errors);
		ranges = read.ranges;
		if (ranges.length === 0 && Object.keys(read.errors).length === 0) errors[overrideRangeName(0, 'start')] = 'Enter the hours, or choose closed';
	}
	if (Object.keys(errors).length > 0 || !day.success) return { ok: false, errors };
	return { ok: true, value: { date: day.data, ranges } };
}

/** The time-off form: from and to (`datetime-local`, the salon's clock in `zone`) → UTC instants. */
export function readTimeOffForm(form: FormData, zone: string): FormResult<{ startsAt: Date; endsAt: Date; reason?: string }> {
	const values = formValues(form, ['from', 'to', 'reason']);
	const errors: FieldErrors = {};
	const startsAt = fromDateTimeLocal(values.from, zone);
	const endsAt = fromDateTimeLocal(values.to, zone);
	if (!startsAt) errors.from = 'Pick a start date and time';
	if (!endsAt) errors.to = 'Pick an end date and time';
	if (startsAt && endsAt && endsAt <= startsAt) errors.to = 'Must end after it starts';
	const reason = z.string().trim().max(200, 'Use at most 200 characters').safeParse(values.reason);
	if (!reason.success) errors.reason = reason.error.issues[0]?.message ?? 'Too long';
	if (!startsAt || !endsAt || Object.keys(errors).length > 0 || !reason.success) return { ok: false, errors };
	return { ok: true, value: { startsAt, endsAt, ...(reason.data ? { reason: reason.data } : {}) } };
}

/** The "new staff member" form: just a name. */
export function readNewStaffForm(form: FormData): FormResult<{ name: string }> {
	const parsed = z.object({ name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters') }).safeParse(formValues(form, ['name']));
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: zodFieldErrors(parsed.error) };
}

const roleSchema = z.enum(['owner', 'manager', 'staff'], 'Pick a role');

/** The invite form: a new sign-in account (name, email, role, and the calendar column it works in, if any). */
export function readInviteForm(form: FormData): FormResult<{ name: string; email: string; role: 'owner' | 'manager' | 'staff'; staffId: string | null }> {
	const values = formValues(form, ['name', 'email', 'role', 'staffId']);
	const parsed = z
		.object({
			name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
			email: z.string().trim().toLowerCase().max(254).pipe(z.email('Enter a valid email address')),
			role: roleSchema,
			staffId: z.union([z.literal('').transform(() => null), z.uuid('Pick a staff member from the list')])
		})
		.safeParse(values);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: zodFieldErrors(parsed.error) };
}
