/** A latency distribution in milliseconds. */
export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentiles of `samples` (milliseconds); all zero when there are none. */
export function summarise(samples: readonly number[] | Float64Array): Summary {
  const count = samples.length;
  if (count === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) => sorted[Math.min(count - 1, Math.ceil((p / 100) * count) - 1)] ?? 0;
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count,
    p50: round(rank(50)),
    p90: round(rank(90)),
    p99: round(rank(99)),
    max: round(sorted[count - 1] ?? 0),
    mean: round(total / count),
  };
}

/** Rounds to three significant decimals (microsecond resolution for milliseconds). */
export function round(value: number, decimals = 3): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** A growable list of float samples without boxing every number. */
export class Samples {
  #values = new Float64Array(1024);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length] = value;
    this.#length += 1;
  }

  summary(): Summary {
    return summarise(this.#values.subarray(0, this.#length));
  }
}
