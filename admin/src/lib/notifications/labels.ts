/**
 * Words for the outbox on the notifications page: statuses, message kinds, and why a message
 * failed in plain words (from OutboxMessage.lastError, as core's delivery worker and the channels'
 * senders write it). Browser-safe.
 */
import type { NotificationStatus } from '@chairside/core';
import { messengerLabel } from '$lib/clients/labels';

/** An outbox status for people. */
export const OUTBOX_STATUS_LABELS: Record<NotificationStatus, string> = {
	pending: 'Waiting',
	sending: 'Sending',
	sent: 'Sent',
	delivered: 'Delivered',
	read: 'Read',
	failed: 'Failed',
	cancelled: 'Cancelled'
};

const KINDS: Record<string, string> = {
	confirmation: 'Booking confirmed',
	rescheduled: 'Booking moved',
	cancelled: 'Booking cancelled',
	reminder_24h: 'Reminder (day before)',
	reminder_1h: 'Reminder (shortly before)',
	thank_you: 'Thank you',
	reactivation: 'We miss you',
	birthday: 'Birthday greeting',
	owner_alert: 'Alert to the salon'
};

/** A message kind ("reminder_24h") for people ("Reminder (day before)"); unknown kinds as they are. */
export function kindLabel(kind: string): string {
	return KINDS[kind] ?? kind.replaceAll('_', ' ');
}

/** WhatsApp Cloud API error codes (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
const WHATSAPP: Record<string, string> = {
	'131047': 'WhatsApp allows free text only within 24 hours of the client’s last message; after that it needs an approved template (Settings → Templates).',
	'131026': 'WhatsApp could not deliver it: the number may not be on WhatsApp, or the client has not accepted WhatsApp’s latest terms.',
	'131049': 'WhatsApp chose not to deliver this marketing message (it limits how many a person gets).',
	'131050': 'The client has stopped marketing messages from the salon on WhatsApp.',
	'131051': 'WhatsApp does not support this kind of message.',
	'131056': 'Too many messages to this client in a short time (WhatsApp’s limit).',
	'130429': 'The salon sent too many WhatsApp messages at once (WhatsApp’s rate limit).',
	'132000': 'The WhatsApp template’s parameters do not match what WhatsApp approved.',
	'132001': 'WhatsApp does not know this template in this language: check its name in Settings → Templates.',
	'132015': 'The WhatsApp template is paused by WhatsApp (poor quality ratings).',
	'132016': 'The WhatsApp template is disabled by WhatsApp.',
	'131031': 'The salon’s WhatsApp Business account is locked.'
};

/** Patterns of the texts that core and the senders write, most specific first. */
const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
	// Already explained by core (a provider's failure report): "WhatsApp 131047: more than 24 hours …".
	[/^(Telegram|WhatsApp|Viber|Web chat) (\w+): (.+)$/, (m) => `${m[1]} ${m[2]}: ${m[3]}${m[3]!.endsWith('.') ? '' : '.'}`],
	[/^client has no messenger$/, () => 'The client has no messenger linked (they have never written to the salon on Telegram, WhatsApp or Viber), so there is nowhere to send it.'],
	[
		/^no sender is set up for the client's messenger \((.+)\)$/,
		(m) => `The client uses only ${list(m[1]!)}, and the salon has no working connection there. Connect it in Settings, then retry.`
	],
	[/no (\w+) sender is set up for this salon/, (m) => `The salon’s ${messengerLabel(m[1]!)} is not connected (or its credentials stopped working). Connect it, then retry.`],
	[/^gave up after (\d+) attempts/, (m) => `Gave up after ${m[1]} attempts: the last one stopped midway, so the client may or may not have received it.`],
	[/bot was blocked by the user/i, () => 'The client blocked the salon’s Telegram bot.'],
	[/user is deactivated/i, () => 'The client’s Telegram account was deleted.'],
	[/chat not found/i, () => 'Telegram does not know this chat (the client deleted it, or never started the bot).'],
	[/not ?subscribed|receiverNotSubscribed/i, () => 'The client unsubscribed from the salon’s Viber account.'],
	[/\b429\b|too many requests|rate limit/i, () => 'The messenger asked Chairside to slow down (rate limit) until it gave up.'],
	[/abort|timed? ?out|timeout/i, () => 'The messenger did not answer in time.'],
	[/\b(13\d{4})\b/, (m) => WHATSAPP[m[1]!] ?? '']
];

function list(channels: string): string {
	return channels
		.split(',')
		.map((c) => messengerLabel(c.trim()))
		.join(' and ');
}

/**
 * Why a failed message failed, in plain words, from its `lastError`: e.g. "telegram: Forbidden:
 * bot was blocked by the user" → "The client blocked the salon’s Telegram bot.". Unknown errors
 * become "The messenger refused it: <the error>"; a count of attempts is kept ("… (after 6 attempts)").
 */
export function failureReason(lastError: string | null): string {
	if (!lastError) return 'No reason was recorded.';
	const attempts = /\(after (\d+) attempts\)$/.exec(lastError)?.[1];
	const text = lastError.replace(/\s*\(after \d+ attempts\)$/, '');
	const suffix = attempts ? ` (after ${attempts} attempts)` : '';
	for (const [pattern, explain] of PATTERNS) {
		const match = pattern.exec(text);
		const words = match ? explain(match) : '';
		if (words) return words + suffix;
	}
	const inner = text.replace(/^(telegram|whatsapp|viber|webchat): /, '');
	return `The messenger refused it: ${inner}${suffix}`;
}
