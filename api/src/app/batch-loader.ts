/** Loads values for many keys at once; the result has one value per key, in order. */
export type BatchLoad<K, V> = (keys: readonly K[]) => Promise<readonly V[]>;

interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}

/**
 * A minimal DataLoader: `load` calls made in the same tick share one batch call. With
 * `cache`, a key is loaded at most once for the loader's life (one HTTP request); without it,
 * only batching happens (long-lived subscriptions must not serve stale values).
 */
export class BatchLoader<K, V> {
  readonly #batchLoad: BatchLoad<K, V>;
  readonly #cache: Map<K, Promise<V>> | null;
  #queue: Map<K, Waiter<V>[]> | null = null;

  constructor(batchLoad: BatchLoad<K, V>, options: { readonly cache: boolean }) {
    this.#batchLoad = batchLoad;
    this.#cache = options.cache ? new Map() : null;
  }

  /** The value for `key`, batched with the other loads of this tick. */
  load(key: K): Promise<V> {
    const cached = this.#cache?.get(key);
    if (cached) return cached;
    const promise = new Promise<V>((resolve, reject) => {
      if (!this.#queue) {
        this.#queue = new Map();
        // Like DataLoader: after the current promise jobs, so sibling resolvers join the batch.
        void Promise.resolve().then(() => process.nextTick(() => this.#dispatch()));
      }
      const waiters = this.#queue.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.#queue.set(key, [{ resolve, reject }]);
    });
    this.#cache?.set(key, promise);
    return promise;
  }

  /** Values for several keys. */
  loadMany(keys: readonly K[]): Promise<V[]> {
    return Promise.all(keys.map((key) => this.load(key)));
  }

  #dispatch(): void {
    const queue = this.#queue;
    this.#queue = null;
    if (!queue) return;
    const keys = [...queue.keys()];
    this.#batchLoad(keys).then(
      (values) => {
        keys.forEach((key, index) => {
          const waiters = queue.get(key) ?? [];
          if (index < values.length) {
            for (const waiter of waiters) waiter.resolve(values[index] as V);
          } else {
            const error = new Error(`batch load returned no value for key ${String(key)}`);
            for (const waiter of waiters) waiter.reject(error);
          }
        });
      },
      (error: unknown) => {
        for (const key of keys) this.#cache?.delete(key);
        for (const waiters of queue.values()) for (const waiter of waiters) waiter.reject(error);
      },
    );
  }
}
