/**
 * Turns push callbacks (a graphql-ws sink) into an async iterator. Values are buffered
 * until read; `return()` (a `break` in for-await) runs `dispose` and ends the iteration.
 */
export interface EventQueue<T> {
  push(value: T): void;
  fail(error: unknown): void;
  end(): void;
  iterator: AsyncIterableIterator<T>;
}

export function createEventQueue<T>(dispose: () => void): EventQueue<T> {
  const buffer: T[] = [];
  let finished = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;

  const notify = () => {
    wake?.();
    wake = null;
  };

  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        const value = buffer.shift();
        if (value !== undefined) return { value, done: false };
        if (failure) {
          const { error } = failure;
          failure = null;
          finished = true;
          throw error;
        }
        if (finished) return { value: undefined, done: true };
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async return(): Promise<IteratorResult<T>> {
      if (!finished) {
        finished = true;
        buffer.length = 0;
        dispose();
        notify();
      }
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };

  return {
    push(value) {
      if (finished) return;
      buffer.push(value);
      notify();
    },
    fail(error) {
      if (finished) return;
      failure = { error };
      notify();
    },
    end() {
      finished = true;
      notify();
    },
    iterator,
  };
}
