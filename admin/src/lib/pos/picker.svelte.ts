/**
 * State of the till's "add a service or product" search box (a Svelte 5 rune class): the typed
 * text, the matches (./catalog-search.ts) and the highlighted option, moved with the arrow keys.
 */
import { searchSellables, type SellableItem } from './catalog-search';

export class SellablePicker {
	query = $state('');
	/** Index of the highlighted match, or -1. */
	active = $state(-1);
	open = $state(false);
	/** At most 12 matches of `query`. */
	readonly results: SellableItem[];

	/** `items` is read again whenever it changes (pass a getter of a prop). */
	constructor(items: () => readonly SellableItem[]) {
		this.results = $derived(searchSellables(items(), this.query, 12));
	}

	/** The highlighted match, if any. */
	get current(): SellableItem | undefined {
		return this.results[this.active];
	}

	/** New text typed: show the matches with the first one highlighted. */
	type(text: string): void {
		this.query = text;
		this.open = true;
		this.active = text.trim() === '' ? -1 : 0;
	}

	/** Moves the highlight by `delta`, wrapping around; opens the list. */
	move(delta: number): void {
		this.open = true;
		const n = this.results.length;
		if (n === 0) return;
		this.active = this.active < 0 ? (delta > 0 ? 0 : n - 1) : (this.active + delta + n) % n;
	}

	/** Clears the box and closes the list (after adding, or on Escape). */
	reset(): void {
		this.query = '';
		this.active = -1;
		this.open = false;
	}
}
