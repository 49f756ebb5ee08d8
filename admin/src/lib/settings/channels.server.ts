/**
 * Settings → Channels on the server: the form of each messenger, read with the same zod schemas
 * the channel plugins validate stored credentials with (core/src/channels/credentials.ts), and
 * what the page may show of a stored connection: never a secret, at most the last 4 characters
 * of a long token.
 */
import { randomBytes } from 'node:crypto';
import {
	CREDENTIAL_SCHEMAS,
	DEFAULT_TELEGRAM_API_ROOT,
	DEFAULT_VIBER_API_URL,
	DEFAULT_WHATSAPP_GRAPH_URL,
	isPublicCredentialField,
	splitCredentials
} from '@chairside/core';
import { z } from 'zod';
import type { FieldErrors, FormResult } from './forms.server';

/** The messengers an owner connects here (web chat needs nothing: it is always on). */
export const MESSENGERS = ['telegram', 'whatsapp', 'viber'] as const;

/** A messenger an owner connects here. */
export type Messenger = (typeof MESSENGERS)[number];

/** The form's `channel` field. */
export const messengerSchema = z.enum(MESSENGERS, 'Pick a channel');

/** One input of a messenger's form; its `name` is the credential's key. */
export interface ChannelField {
	name: string;
	label: string;
	hint: string;
	/** Stored encrypted and never shown (derived from core's PUBLIC_CREDENTIAL_FIELDS). */
	secret: boolean;
	/** Needed to connect. A blank optional field means the default. */
	required: boolean;
	/** Shown under "Advanced" (servers other than the provider's, for proxies and tests). */
	advanced: boolean;
	/** The page may show the last 4 characters of a stored value (the main token only). */
	showEnding: boolean;
}

/** How a messenger is shown: its name, its inputs, and where its values come from. */
export interface MessengerForm {
	label: string;
	fields: ChannelField[];
}

const field = (channel: Messenger, name: string, label: string, hint: string, options: { required?: boolean; advanced?: boolean; showEnding?: boolean } = {}): ChannelField => ({
	name,
	label,
	hint,
	secret: !isPublicCredentialField(channel, name),
	required: options.required ?? false,
	advanced: options.advanced ?? false,
	showEnding: options.showEnding ?? false
});

/** The form of each messenger. */
export const MESSENGER_FORMS: Readonly<Record<Messenger, MessengerForm>> = {
	telegram: {
		label: 'Telegram',
		fields: [
			field('telegram', 'token', 'Bot token', 'From @BotFather in Telegram: /newbot for a new bot, /token for an existing one.', { required: true, showEnding: true }),
			field('telegram', 'apiRoot', 'Bot API server', `Leave blank for ${DEFAULT_TELEGRAM_API_ROOT}.`, { advanced: true })
		]
	},
	whatsapp: {
		label: 'WhatsApp',
		fields: [
			field('whatsapp', 'phoneNumberId', 'Phone number ID', 'WhatsApp → API Setup in the Meta app dashboard: the ID (digits), not the phone number.', { required: true }),
			field('whatsapp', 'accessToken', 'Access token', 'A system user token with whatsapp_business_messaging, from Meta Business settings.', { required: true, showEnding: true }),
			field('whatsapp', 'appSecret', 'App secret', 'App settings → Basic in the Meta app dashboard.', { required: true }),
			field('whatsapp', 'verifyToken', 'Verify token', 'Any random string you choose: enter the same one as Verify token in WhatsApp → Configuration.', { required: true }),
			field('whatsapp', 'graphUrl', 'Graph API URL', `With its version. Leave blank for ${DEFAULT_WHATSAPP_GRAPH_URL}.`, { advanced: true })
		]
	},
	viber: {
		label: 'Viber',
		fields: [
			field('viber', 'authToken', 'Authentication token', 'The Viber admin panel: your bot → Edit info → Token.', { required: true, showEnding: true }),
			field('viber', 'apiUrl', 'API URL', `Leave blank for ${DEFAULT_VIBER_API_URL}.`, { advanced: true })
		]
	}
};

/** The names of a messenger's public (non-secret) fields: the only values a failed form is shown again with. */
export function publicFieldNames(channel: Messenger): string[] {
	return MESSENGER_FORMS[channel].fields.filter((f) => !f.secret).map((f) => f.name);
}

/** Shortest stored token whose last 4 characters the page shows (shorter ones show only that they are set). */
const MIN_LENGTH_FOR_ENDING = 20;

/** "…wxyz" for a long enough token, else null. Never more than 4 characters of it. */
export function secretEnding(value: unknown): string | null {
	return typeof value === 'string' && value.length >= MIN_LENGTH_FOR_ENDING ? `…${value.slice(-4)}` : null;
}

/** A random Telegram webhook secret (43 characters of A-Z a-z 0-9 _ -); Chairside passes it to setWebhook itself. */
function newWebhookSecret(): string {
	return randomBytes(32).toString('base64url');
}

const label = (f: ChannelField) => f.label.charAt(0).toLowerCase() + f.label.slice(1);

/**
 * Reads a messenger's form into what ChannelConnectionsService.upsert stores. `stored` is the
 * connection's decrypted credentials, or null (none, or unreadable with this key). Fields of the
 * form replace the stored ones: a blank secret keeps the stored value, a blank optional field
 * means the default. Stored values the form does not show (Telegram's webhook secret, WhatsApp's
 * template language) are kept; Telegram gets a webhook secret when it has none. The result is
 * validated with the plugin's schema; field errors are keyed by the form's field names and never
 * contain a value.
 */
export function readChannelForm(
	channel: Messenger,
	form: FormData,
	stored: Record<string, unknown> | null
): FormResult<{ config: Record<string, unknown>; secrets: Record<string, string> }> {
	const { fields } = MESSENGER_FORMS[channel];
	const errors: FieldErrors = {};
	const values: Record<string, unknown> = { ...(stored ?? {}) };
	for (const f of fields) {
		const raw = form.get(f.name);
		const typed = typeof raw === 'string' ? raw.trim() : '';
		if (typed !== '') {
			values[f.name] = typed;
			continue;
		}
		const kept = f.secret && typeof values[f.name] === 'string' && values[f.name] !== '';
		if (!kept) delete values[f.name];
		if (!kept && f.required) errors[f.name] = `Enter the ${label(f)}`;
	}
	if (channel === 'telegram' && typeof values.webhookSecret !== 'string') values.webhookSecret = newWebhookSecret();

	const parsed = CREDENTIAL_SCHEMAS[channel].safeParse(values);
	if (!parsed.success) {
		const names = new Set(fields.map((f) => f.name));
		for (const issue of parsed.error.issues) {
			const key = String(issue.path[0] ?? '');
			errors[names.has(key) ? key : 'form'] ??= issue.message;
		}
	}
	if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
	// What was given, as the schema normalised it (trimmed, no trailing slash); not its defaults,
	// so a default the server supplies later (Viber's sender name: the salon's) is not pinned here.
	const normalised = parsed.data as Record<string, unknown>;
	const chosen = Object.fromEntries(Object.keys(values).map((key) => [key, normalised[key] ?? values[key]]));
	return { ok: true, value: splitCredentials(channel, chosen) };
}
