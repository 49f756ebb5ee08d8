import { isDomainError, type ChannelConnectionsService, type ChannelCredentials } from '@chairside/core';
import { fail } from '@sveltejs/kit';
import { routes } from '$lib/routes';
import { requireChannels, type AdminChannels } from '$lib/server/channels';
import { throwAsHttpError } from '$lib/server/errors';
import { requirePermission } from '$lib/server/guards';
import { MESSENGER_FORMS, MESSENGERS, messengerSchema, publicFieldNames, readChannelForm, secretEnding, type Messenger } from '$lib/settings/channels.server';
import { formValues } from '$lib/settings/forms.server';
import type { Actions, PageServerLoad } from './$types';

/** A connection's decrypted credentials; `unreadable` when the installation's key cannot open them (none: both null/false). */
async function storedCredentials(connections: ChannelConnectionsService, tenantId: string, channel: string): Promise<{ stored: ChannelCredentials | null; unreadable: boolean }> {
	try {
		return { stored: await connections.getCredentials(tenantId, channel), unreadable: false };
	} catch (e) {
		if (isDomainError(e, 'config_invalid')) return { stored: null, unreadable: true };
		throw e;
	}
}

/**
 * Applies the change in this server at once (its channels' reconcile), so the page shows the
 * outcome; false without a running server or when it failed (the server's loop retries it).
 */
async function applyNow(channels: AdminChannels): Promise<boolean> {
	if (!channels.runtime) return false;
	try {
		await channels.runtime.apply();
		return true;
	} catch {
		return false;
	}
}

/** `<base>/webhooks/<channel>/<slug>`, the path the server's webhook route answers. */
const webhookUrl = (base: string, channel: string, slug: string) => `${base}/webhooks/${encodeURIComponent(channel)}/${encodeURIComponent(slug)}`;

/**
 * Each messenger's state (not connected / connected / disabled), when it last changed, its
 * webhook URL, whether the environment configures it, and its form: public values as stored,
 * secrets only as "set" (and the last 4 characters of the main token). Never a secret value.
 */
export const load = (async ({ locals, url }) => {
	const { tenant } = requirePermission(locals, 'settings');
	const { connections, environment, publicUrl, runtime } = requireChannels(locals);
	const running = runtime?.status(tenant.id) ?? null;
	const base = publicUrl ?? url.origin;
	const fromEnvironment = (channel: string) => environment.tenantId === tenant.id && environment.channels.includes(channel);
	const channels = await Promise.all(
		MESSENGERS.map(async (name) => {
			const { stored, unreadable } = await storedCredentials(connections, tenant.id, name).catch(throwAsHttpError);
			const view = stored ?? (unreadable ? await connections.get(tenant.id, name) : null);
			return {
				name,
				label: MESSENGER_FORMS[name].label,
				state: !view ? ('not_connected' as const) : view.enabled ? ('enabled' as const) : ('disabled' as const),
				updatedAt: view?.updatedAt.toISOString() ?? null,
				webhookUrl: webhookUrl(base, name, tenant.slug),
				fromEnvironment: fromEnvironment(name),
				// How this server runs it (or why not); null when not started here, or no server.
				run: running?.find((r) => r.channel === name) ?? null,
				unreadable,
				fields: MESSENGER_FORMS[name].fields.map((f) => {
					const value = stored?.credentials[f.name];
					return {
						name: f.name,
						label: f.label,
						hint: f.hint,
						secret: f.secret,
						required: f.required,
						advanced: f.advanced,
						// Public values only; a secret is reduced to whether it is set (and maybe "…wxyz").
						value: f.secret ? '' : typeof view?.config[f.name] === 'string' ? (view.config[f.name] as string) : '',
						set: f.secret ? typeof value === 'string' && value !== '' : false,
						ending: f.secret && f.showEnding ? secretEnding(value) : null
					};
				})
			};
		})
	);
	return {
		channels,
		webchat: { chatUrl: `${base}${routes.bookChat(tenant.slug)}` },
		publicUrl,
		/** True inside the Chairside server: changes apply at once and `run` says what runs. */
		live: runtime !== null
	};
}) satisfies PageServerLoad;

/** The `channel` field of a submitted form, or null. */
function messengerOf(form: FormData): Messenger | null {
	const parsed = messengerSchema.safeParse(form.get('channel'));
	return parsed.success ? parsed.data : null;
}

const PICK_A_CHANNEL = { channel: null, errors: { form: 'Pick a channel' } };

export const actions: Actions = {
	/**
	 * Connects a messenger or replaces its credentials (ChannelConnectionsService.upsert, enabled).
	 * Blank secrets keep the stored ones. 400 with field errors, nothing stored, when the plugin's
	 * schema refuses a value; the answer repeats only the public values.
	 */
	connect: async ({ locals, request }) => {
		const { tenant } = requirePermission(locals, 'settings');
		const adminChannels = requireChannels(locals);
		const { connections } = adminChannels;
		const form = await request.formData();
		const channel = messengerOf(form);
		if (!channel) return fail(400, PICK_A_CHANNEL);
		const { stored } = await storedCredentials(connections, tenant.id, channel);
		const read = readChannelForm(channel, form, stored?.credentials ?? null);
		const values = formValues(form, publicFieldNames(channel));
		if (!read.ok) return fail(400, { channel, values, errors: read.errors });
		await connections.upsert({ tenantId: tenant.id, channel, enabled: true, ...read.value }).catch(throwAsHttpError);
		return { channel, saved: true, applied: await applyNow(adminChannels) };
	},

	/** Turns a connected messenger off (ChannelConnectionsService.disable); its credentials are kept. */
	disable: async ({ locals, request }) => {
		const { tenant } = requirePermission(locals, 'settings');
		const adminChannels = requireChannels(locals);
		const { connections } = adminChannels;
		const channel = messengerOf(await request.formData());
		if (!channel) return fail(400, PICK_A_CHANNEL);
		if (!(await connections.get(tenant.id, channel))) return fail(404, { channel, errors: { form: `${MESSENGER_FORMS[channel].label} is not connected` } });
		await connections.disable(tenant.id, channel).catch(throwAsHttpError);
		return { channel, disabled: true, applied: await applyNow(adminChannels) };
	},

	/** Turns a disabled messenger on again with its kept credentials (ChannelConnectionsService.enable). */
	enable: async ({ locals, request }) => {
		const { tenant } = requirePermission(locals, 'settings');
		const adminChannels = requireChannels(locals);
		const { connections } = adminChannels;
		const channel = messengerOf(await request.formData());
		if (!channel) return fail(400, PICK_A_CHANNEL);
		try {
			await connections.enable(tenant.id, channel);
		} catch (e) {
			if (isDomainError(e, 'not_found')) return fail(404, { channel, errors: { form: `${MESSENGER_FORMS[channel].label} is not connected: connect it first` } });
			throwAsHttpError(e);
		}
		return { channel, enabled: true, applied: await applyNow(adminChannels) };
	}
};
