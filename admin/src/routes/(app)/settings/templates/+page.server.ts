import { CLIENT_KINDS, isDomainError, TEMPLATE_PARAMETERS, TEMPLATE_QUICK_REPLIES } from '@chairside/core';
import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { KINDS_WITH_BUTTONS, readTemplateForm, TEMPLATE_FIELDS, templateErrorField } from '$lib/notifications/template-form.server';
import { formValues } from '$lib/settings/forms.server';
import { fieldErrors, throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** One row per client message kind with the salon's WhatsApp template for it, if any. */
export const load = (async ({ locals }) => {
	const { core, tenant } = requirePermission(locals, 'settings');
	const saved = await core.notifications.listTemplates(tenant.id).catch(throwAsHttpError);
	const byKind = new Map(saved.filter((t) => t.channel === 'whatsapp').map((t) => [t.kind, t]));
	return {
		rows: CLIENT_KINDS.map((kind) => {
			const t = byKind.get(kind);
			return {
				kind,
				buttons: KINDS_WITH_BUTTONS.includes(kind),
				saved: !!t,
				values: { kind, name: t?.name ?? '', language: t?.language ?? '', parameters: t?.parameters.join(', ') ?? '', quickReplies: t?.quickReplies.join(', ') ?? '' }
			};
		}),
		parameters: TEMPLATE_PARAMETERS,
		quickReplies: TEMPLATE_QUICK_REPLIES
	};
}) satisfies PageServerLoad;

export const actions: Actions = {
	/** Creates or replaces the template of one kind (core.notifications.saveTemplate). 400 with field errors for that kind. */
	save: async ({ locals, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		const form = await request.formData();
		const values = formValues(form, TEMPLATE_FIELDS);
		const read = readTemplateForm(form);
		if (!read.ok) return fail(400, { kind: values.kind, values, errors: read.errors });
		try {
			await core.notifications.saveTemplate(tenant.id, read.value);
		} catch (e) {
			if (isDomainError(e, 'invalid_input')) {
				const errors: Record<string, string> = {};
				for (const [path, message] of Object.entries(fieldErrors(e))) errors[templateErrorField(path)] ??= message;
				return fail(400, { kind: values.kind, values, errors });
			}
			throwAsHttpError(e);
		}
		return { kind: read.value.kind, saved: true };
	},
	/** Removes the template of one kind (core.notifications.deleteTemplate): its messages go as text again. */
	remove: async ({ locals, request }) => {
		const { core, tenant } = requirePermission(locals, 'settings');
		const kind = z.enum(CLIENT_KINDS).safeParse((await request.formData()).get('kind'));
		if (!kind.success) return fail(400, { kind: null, errors: { form: 'Pick a message kind' } });
		await core.notifications.deleteTemplate(tenant.id, kind.data).catch(throwAsHttpError);
		return { kind: kind.data, removed: true };
	}
};
