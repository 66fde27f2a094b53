export interface RateLimitRule {
  /** Requests allowed per window. */
  readonly limit: number;
  readonly windowMs: number;
}

export type RateLimitResult =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterMs: number };

/** Atomic counter per key (memory or Redis), shared by every API instance using it. */
export interface RateLimiter {
  consume(key: string, rule: RateLimitRule): Promise<RateLimitResult>;
  /**
   * Adds `amount` (0 just reads) to a plain counter that expires `ttlMs` after its first add,
   * and returns the new total. For budgets counted in other units than requests, such as the
   * assistant's tokens per day (the caller puts the day in the key).
   */
  addUsage(key: string, amount: number, ttlMs: number): Promise<number>;
  close(): Promise<void>;
}
