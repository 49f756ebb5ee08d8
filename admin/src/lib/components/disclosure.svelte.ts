/**
 * Open/closed state of a disclosure (the phone menu): a Svelte 5 rune class. Bind the button's
 * aria-expanded to `open`; `close()` on navigation and on Escape.
 */
export class Disclosure {
	open = $state(false);

	toggle(): void {
		this.open = !this.open;
	}

	close(): void {
		this.open = false;
	}
}
