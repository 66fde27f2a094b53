/**
 * Delivers the latest offered value at most once per interval, one delivery at a time and in
 * order; values offered in between are superseded. Used for streaming-reply updates.
 */
export class LatestThrottle<T> {
  readonly #intervalMs: number;
  readonly #deliver: (value: T) => Promise<void>;
  #pending: { value: T } | null = null;
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> = Promise.resolve();
  #lastAt = Number.NEGATIVE_INFINITY;
  #closed = false;

  /** `deliver` must not throw: it reports its own failures. */
  constructor(intervalMs: number, deliver: (value: T) => Promise<void>) {
    this.#intervalMs = intervalMs;
    this.#deliver = deliver;
  }

  offer(value: T): void {
    if (this.#closed) return;
    this.#pending = { value };
    if (this.#timer !== null) return;
    const wait = Math.max(0, this.#lastAt + this.#intervalMs - performance.now());
    this.#timer = setTimeout(() => this.#fire(), wait);
  }

  /** Drops any value not yet delivered and waits for the delivery in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = null;
    await this.#inFlight;
  }

  #fire(): void {
    this.#timer = null;
    const pending = this.#pending;
    this.#pending = null;
    if (pending === null) return;
    this.#lastAt = performance.now();
    this.#inFlight = this.#inFlight.then(() => this.#deliver(pending.value));
  }
}
