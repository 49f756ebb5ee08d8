/**
 * How long the held time is kept for the visitor: a Svelte 5 rune class. `start()` ticks every
 * second in the browser (call it from an effect; it returns the stop function); without
 * JavaScript the page shows the end time instead.
 */
export class HoldCountdown {
	/** Epoch ms now, updated by the ticker. */
	now = $state(Date.now());
	readonly expiresAt: number;

	constructor(expiresAt: Date | string | number) {
		this.expiresAt = new Date(expiresAt).getTime();
	}

	/** Whole seconds left, 0 once the hold lapsed. */
	get secondsLeft(): number {
		return Math.max(0, Math.ceil((this.expiresAt - this.now) / 1000));
	}

	/** "9:05" left. */
	get label(): string {
		const s = this.secondsLeft;
		return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
	}

	get expired(): boolean {
		return this.secondsLeft === 0;
	}

	/** Starts ticking; returns the function that stops it. */
	start(): () => void {
		const timer = setInterval(() => {
			this.now = Date.now();
			if (this.expired) clearInterval(timer);
		}, 1000);
		return () => clearInterval(timer);
	}
}
