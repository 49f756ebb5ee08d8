import { describe, expect, it } from 'vitest';
import { encodeFeedEvent, parseChanged } from './feed';

describe('feed events', () => {
	it('encodes and parses the typed feed events', () => {
		expect(encodeFeedEvent('changed', { version: '3:1700000000000' })).toBe('event: changed\ndata: {"version":"3:1700000000000"}\n\n');
		expect(parseChanged('{"version":"3:1"}')).toEqual({ version: '3:1' });
		expect(parseChanged('nope')).toBeNull();
		expect(parseChanged('{"v":1}')).toBeNull();
	});
});
