import type { RateLimiter, RateLimitRule } from '../ports/rate-limiter.ts';
import { rateLimited } from './errors.ts';

/** The configurable rules for the rate-limited operations. */
export interface RateLimitRules {
  /** Per user. */
  readonly sendMessage: RateLimitRule;
  /** Per client address. */
  readonly signUp: RateLimitRule;
  /** Per client address. */
  readonly logIn: RateLimitRule;
}

/** Consumes one unit of `rule` for `key`, throwing RATE_LIMITED (with retryAfter) when spent. */
export async function enforceRateLimit(
  limiter: RateLimiter,
  key: string,
  rule: RateLimitRule,
): Promise<void> {
  const result = await limiter.consume(key, rule);
  if (!result.allowed) throw rateLimited(result.retryAfterMs);
}
