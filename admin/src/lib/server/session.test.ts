import { describe, expect, it } from 'vitest';
import { safeNext } from './session';

describe('safeNext', () => {
	it('keeps paths on this site and refuses everything else', () => {
		expect(safeNext('/clients?q=an', '/calendar')).toBe('/clients?q=an');
		for (const bad of [null, undefined, '', 'calendar', 'https://evil.example/', '//evil.example/x', '/\\evil.example']) {
			expect(safeNext(bad, '/calendar')).toBe('/calendar');
		}
	});
});
