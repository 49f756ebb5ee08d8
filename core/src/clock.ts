/** Where services get "now" from. Pure code takes `now` as an argument instead. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The wall clock of the machine. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that stays where tests put it. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  /** Moves the clock by `minutes` (may be negative). */
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
  set(instant: Date): void {
    this.current = new Date(instant.getTime());
  }
}
