import type { EventStream } from '../../ports/event-bus.ts';

/**
 * A push-fed async iterator: the producer calls `push`, `fail` or `end`; the consumer
 * iterates. `onReturn` runs once when the consumer stops (return) or the queue ends.
 */
export class EventQueue<T> {
  readonly #buffer: T[] = [];
  readonly #waiting: Array<{
    resolve: (result: IteratorResult<T>) => void;
    reject: (error: unknown) => void;
  }> = [];
  readonly #onReturn: () => void;
  #done = false;
  #error: unknown = null;

  constructor(onReturn: () => void) {
    this.#onReturn = onReturn;
  }

  push(value: T): void {
    if (this.#done) return;
    const waiter = this.#waiting.shift();
    if (waiter) waiter.resolve({ value, done: false });
    else this.#buffer.push(value);
  }

  /** Ends the stream with an error once the buffered events are consumed. */
  fail(error: unknown): void {
    if (this.#done) return;
    this.#error = error;
    this.#finish();
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
  }

  end(): void {
    if (this.#done) return;
    this.#finish();
    for (const waiter of this.#waiting.splice(0)) waiter.resolve({ value: undefined, done: true });
  }

  get done(): boolean {
    return this.#done;
  }

  /** The consumer's side. */
  stream(): EventStream<T> {
    const next = (): Promise<IteratorResult<T>> => {
      if (this.#buffer.length > 0) {
        const value = this.#buffer.shift() as T;
        return Promise.resolve({ value, done: false });
      }
      if (this.#done) {
        if (this.#error !== null) {
          const error = this.#error;
          this.#error = null;
          return Promise.reject(error);
        }
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
    };
    const stream: EventStream<T> = {
      next,
      return: () => {
        this.#buffer.length = 0;
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => stream,
    };
    return stream;
  }

  #finish(): void {
    this.#done = true;
    this.#onReturn();
  }
}
