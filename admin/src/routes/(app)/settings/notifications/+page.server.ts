import { CLIENT_KINDS, isDomainError } from '@chairside/core';
import { fail } from '@sveltejs/kit';
import { readSequenceForm, SEQUENCE_FIELDS, sequenceFormValues, settingsErrorField, TEXT_LANGUAGES, TEXT_PLACEHOLDERS } from '$lib/notifications/settings-form.server';
import { formValues } from '$lib/settings/forms.server';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

const LANG = /^[a-z]{2,3}$/;

/** The salon's language ("da" of "da-DK"). */
const languageOf = (locale: string) => locale.toLowerCase().split(/[-_]/)[0] ?? 'en';

/**
 * The reminder sequence form, filled in from the salon's settings (core's defaults where nothing
 * is saved). `lang` picks which language's own texts are shown (default: the salon's language).
 */
export const load = (async ({ locals, url }) => {
	const { core, tenant } = requirePermission(locals, 'settings');
	const settings = await core.notifications.getSettings(tenant.id).catch(throwAsHttpError);
	const salonLanguage = languageOf(tenant.locale);
	const asked = url.searchParams.get('lang') ?? '';
	const lang = LANG.test(asked) ? asked : salonLanguage;
	const languages = [...new Set([salonLanguage, ...TEXT_LANGUAGES, ...Object.keys(settings.texts), lang])];
	return { values: sequenceFormValues(settings, lang), lang, languages, kinds: CLIENT_KINDS, placeholders: TEXT_PLACEHOLDERS };
}) satisfies PageServerLoad;

export const actions: Actions = {
	/**
	 * Saves the whole sequence (core.notifications.updateSettings): on/off per kind, reminder
	 * offsets, thank-you delay, re-activation days, quiet hours, greeting time, review link,
	 * no-shows, and the own texts of the form's language. 400 with field errors; nothing is saved then.
	 */
	save: async ({ locals, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		const form = await request.formData();
		const values = formValues(form, SEQUENCE_FIELDS);
		const read = readSequenceForm(form);
		if (!read.ok) return fail(400, { values, errors: read.errors });
		try {
			await core.notifications.updateSettings(tenant.id, read.value);
		} catch (e) {
			if (isDomainError(e, 'invalid_input')) {
				const errors: Record<string, string> = {};
				for (const [path, message] of Object.entries(fieldErrors(e))) errors[settingsErrorField(path)] ??= message;
				return fail(400, { values, errors });
			}
			throwAsHttpError(e);
		}
		return { saved: true };
	}
};
