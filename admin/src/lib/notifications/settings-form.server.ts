/**
 * The reminder sequence form (Settings → Notifications), read on the server with zod: every field
 * arrives as text and leaves as a NotificationSettingsPatch for core's
 * `notifications.updateSettings`, or as field errors keyed by the form's field names. The ranges
 * are core's (settings.ts), with messages for people; core checks again, and `settingsErrorField`
 * maps its paths back to the fields.
 */
import { CLIENT_KINDS, type ClientKind, type NotificationSettings, type NotificationSettingsPatch } from '@chairside/core';
import { z } from 'zod';
import { formatMinutes, parseTimeOfDay } from '$lib/settings/time';
import { formValues, zodFieldErrors, type FormResult } from '$lib/settings/forms.server';

/** The languages the bots have message catalogues for (bots/src/i18n): the salon's texts replace those. */
export const TEXT_LANGUAGES = ['en', 'da'] as const;

/** Placeholders a salon's text may use (filled in by the bots' renderer). */
export const TEXT_PLACEHOLDERS = ['name', 'salon', 'service', 'staff', 'date', 'time', 'reviewUrl'] as const;

const enabledField = (kind: ClientKind) => `enabled_${kind}`;
const textField = (kind: ClientKind) => `text_${kind}`;

/** Every field name of the form. */
export const SEQUENCE_FIELDS = [
	'lang',
	...CLIENT_KINDS.map(enabledField),
	'reminder_24h_hours',
	'reminder_24h_minutes',
	'reminder_1h_hours',
	'reminder_1h_minutes',
	'thankYouDelayMinutes',
	'reactivationDays',
	'quietStart',
	'quietEnd',
	'marketingTime',
	'reviewUrl',
	'noShowEnabled',
	'noShowGraceMinutes',
	...CLIENT_KINDS.map(textField)
] as const;

/** The form's text values by field name. */
export type SequenceFormValues = Record<(typeof SEQUENCE_FIELDS)[number], string>;

const whole = (min: number, max: number, message: string) =>
	z
		.string()
		.trim()
		.regex(/^\d{1,6}$/, 'Enter a whole number')
		.transform(Number)
		.pipe(z.number().min(min, message).max(max, message));
const optionalWhole = (max: number, message: string) =>
	z
		.string()
		.trim()
		.regex(/^\d{0,6}$/, 'Enter a whole number')
		.transform((v) => (v === '' ? 0 : Number(v)))
		.pipe(z.number().max(max, message));
const timeOfDay = z
	.string()
	.transform((v) => parseTimeOfDay(v))
	.pipe(z.number('Enter a time such as 21:00').max(1439, 'Enter a time such as 21:00'));
const checkbox = z.string().transform((v) => v === 'on' || v === 'true');
const ownText = z
	.string()
	.trim()
	.max(1000, 'Use at most 1000 characters')
	.refine((t) => [...t.matchAll(/\{(\w+)\}/g)].every((m) => (TEXT_PLACEHOLDERS as readonly string[]).includes(m[1]!)), {
		message: `Use only these placeholders: ${TEXT_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`
	});

const schema = z
	.object({
		lang: z.string().regex(/^[a-z]{2,3}$/, 'Pick a language'),
		reminder_24h_hours: optionalWhole(168, 'At most 7 days (168 hours)'),
		reminder_24h_minutes: optionalWhole(59, 'Between 0 and 59'),
		reminder_1h_hours: optionalWhole(12, 'At most 12 hours'),
		reminder_1h_minutes: optionalWhole(59, 'Between 0 and 59'),
		thankYouDelayMinutes: whole(0, 2880, 'Between 0 and 2880 minutes (2 days)'),
		reactivationDays: whole(7, 365, 'Between 7 and 365 days'),
		quietStart: timeOfDay,
		quietEnd: timeOfDay,
		marketingTime: timeOfDay,
		reviewUrl: z
			.string()
			.trim()
			.max(500, 'Use at most 500 characters')
			.transform((v) => v || null)
			.pipe(z.url({ protocol: /^https?$/, message: 'Enter a web address starting with https://' }).nullable()),
		noShowEnabled: checkbox,
		noShowGraceMinutes: whole(0, 240, 'Between 0 and 240 minutes'),
		...Object.fromEntries(CLIENT_KINDS.map((k) => [enabledField(k), checkbox])),
		...Object.fromEntries(CLIENT_KINDS.map((k) => [textField(k), ownText]))
	})
	.superRefine((v, ctx) => {
		const day = Number(v.reminder_24h_hours) * 60 + Number(v.reminder_24h_minutes);
		if (day < 15 || day > 7 * 1440) ctx.addIssue({ code: 'custom', path: ['reminder_24h_hours'], message: 'Between 15 minutes and 7 days before' });
		const soon = Number(v.reminder_1h_hours) * 60 + Number(v.reminder_1h_minutes);
		if (soon < 5 || soon > 720) ctx.addIssue({ code: 'custom', path: ['reminder_1h_hours'], message: 'Between 5 minutes and 12 hours before' });
	});

/** Reads the form. The texts replace the salon's texts in `lang` (an empty box: the standard text). */
export function readSequenceForm(form: FormData): FormResult<NotificationSettingsPatch> {
	const parsed = schema.safeParse(formValues(form, SEQUENCE_FIELDS));
	if (!parsed.success) return { ok: false, errors: zodFieldErrors(parsed.error) };
	const v = parsed.data as Record<string, unknown> & z.output<typeof schema>;
	const texts: Partial<Record<ClientKind, string>> = {};
	for (const kind of CLIENT_KINDS) if (v[textField(kind)]) texts[kind] = v[textField(kind)] as string;
	return {
		ok: true,
		value: {
			enabled: Object.fromEntries(CLIENT_KINDS.map((k) => [k, v[enabledField(k)] === true])) as Record<ClientKind, boolean>,
			reminderOffsets: {
				reminder_24h: v.reminder_24h_hours * 60 + v.reminder_24h_minutes,
				reminder_1h: v.reminder_1h_hours * 60 + v.reminder_1h_minutes
			},
			thankYouDelayMinutes: v.thankYouDelayMinutes,
			reactivationDays: v.reactivationDays,
			quietHours: { startMinute: v.quietStart, endMinute: v.quietEnd },
			marketingMinute: v.marketingTime,
			reviewUrl: v.reviewUrl,
			noShow: { enabled: v.noShowEnabled, graceMinutes: v.noShowGraceMinutes },
			texts: { [v.lang]: texts }
		}
	};
}

/** The form filled in from saved settings, with the texts of `lang`. */
export function sequenceFormValues(s: NotificationSettings, lang: string): SequenceFormValues {
	const on = (b: boolean) => (b ? 'on' : '');
	const own = s.texts[lang] ?? {};
	return {
		lang,
		...(Object.fromEntries(CLIENT_KINDS.map((k) => [enabledField(k), on(s.enabled[k])])) as Record<`enabled_${ClientKind}`, string>),
		reminder_24h_hours: String(Math.floor(s.reminderOffsets.reminder_24h / 60)),
		reminder_24h_minutes: String(s.reminderOffsets.reminder_24h % 60),
		reminder_1h_hours: String(Math.floor(s.reminderOffsets.reminder_1h / 60)),
		reminder_1h_minutes: String(s.reminderOffsets.reminder_1h % 60),
		thankYouDelayMinutes: String(s.thankYouDelayMinutes),
		reactivationDays: String(s.reactivationDays),
		quietStart: formatMinutes(s.quietHours.startMinute),
		quietEnd: formatMinutes(s.quietHours.endMinute),
		marketingTime: formatMinutes(s.marketingMinute),
		reviewUrl: s.reviewUrl ?? '',
		noShowEnabled: on(s.noShow.enabled),
		noShowGraceMinutes: String(s.noShow.graceMinutes),
		...(Object.fromEntries(CLIENT_KINDS.map((k) => [textField(k), own[k] ?? ''])) as Record<`text_${ClientKind}`, string>)
	};
}

/** Core's field path of a settings error ("quietHours.startMinute") → the form's field name. */
export function settingsErrorField(path: string): string {
	const [head, sub, kind] = path.split('.');
	if (head === 'enabled' && sub) return enabledField(sub as ClientKind);
	if (head === 'reminderOffsets' && sub) return `${sub}_hours`;
	if (head === 'quietHours') return sub === 'endMinute' ? 'quietEnd' : 'quietStart';
	if (head === 'marketingMinute') return 'marketingTime';
	if (head === 'noShow') return sub === 'enabled' ? 'noShowEnabled' : 'noShowGraceMinutes';
	if (head === 'texts') return kind ? textField(kind as ClientKind) : 'lang';
	return head || 'form';
}
