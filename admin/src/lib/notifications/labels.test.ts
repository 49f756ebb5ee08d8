import { describe, expect, it } from 'vitest';
import { failureReason, kindLabel } from './labels';

describe('failure reasons in plain words', () => {
	it('explains what core and the senders write', () => {
		expect(failureReason('client has no messenger')).toMatch(/^The client has no messenger linked/);
		expect(failureReason("no sender is set up for the client's messenger (viber, whatsapp)")).toBe(
			'The client uses only Viber and WhatsApp, and the salon has no working connection there. Connect it in Settings, then retry.'
		);
		expect(failureReason('telegram: no telegram sender is set up for this salon (after 6 attempts)')).toBe(
			'The salon’s Telegram is not connected (or its credentials stopped working). Connect it, then retry. (after 6 attempts)'
		);
		expect(failureReason('telegram: Forbidden: bot was blocked by the user')).toBe('The client blocked the salon’s Telegram bot.');
		expect(failureReason('131047: Re-engagement message')).toMatch(/within 24 hours/);
		expect(failureReason('whatsapp: (#132001) Template name does not exist in the translation')).toMatch(/does not know this template/);
		expect(failureReason("WhatsApp 131047: more than 24 hours since the client's last message; the client has no other messenger")).toBe(
			"WhatsApp 131047: more than 24 hours since the client's last message; the client has no other messenger."
		);
		expect(failureReason('gave up after 6 attempts (the last one stopped while sending; its outcome is unknown)')).toMatch(/^Gave up after 6 attempts/);
	});

	it('keeps unknown errors readable, and says when there is none', () => {
		expect(failureReason('viber: something odd')).toBe('The messenger refused it: something odd');
		expect(failureReason('whatsapp: (#139999) Unknown')).toBe('The messenger refused it: (#139999) Unknown');
		expect(failureReason(null)).toBe('No reason was recorded.');
	});

	it('names kinds', () => {
		expect(kindLabel('reminder_24h')).toBe('Reminder (day before)');
		expect(kindLabel('some_new_kind')).toBe('some new kind');
	});
});
