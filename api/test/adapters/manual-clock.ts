import type { Clock } from '../../src/ports/clock.ts';

/** A clock that moves only when a test says so. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start = Date.UTC(2030, 0, 1)) {
    this.#ms = start;
  }

  now(): Date {
    return new Date(this.#ms);
  }

  advance(ms: number): void {
    this.#ms += ms;
  }
}
