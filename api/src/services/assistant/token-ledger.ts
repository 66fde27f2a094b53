import type { UserId } from '../../domain/model.ts';
import type { Clock } from '../../ports/clock.ts';
import type { RateLimiter } from '../../ports/rate-limiter.ts';

const DAY_MS = 86_400_000;

/** Milliseconds from `at` to the next UTC midnight, when the daily budget resets. */
export function msUntilNextUtcDay(at: Date): number {
  return DAY_MS - (at.getTime() % DAY_MS);
}

/**
 * Each user's assistant tokens for the current UTC day, on the limiter's shared counters
 * (so every API instance sees one total). The day is part of the key; the counter outlives
 * it by a day only so that it cleans itself up.
 */
export class TokenLedger {
  readonly #limiter: RateLimiter;
  readonly #clock: Clock;

  constructor(limiter: RateLimiter, clock: Clock) {
    this.#limiter = limiter;
    this.#clock = clock;
  }

  spentToday(userId: UserId): Promise<number> {
    return this.#limiter.addUsage(this.#key(userId), 0, 2 * DAY_MS);
  }

  /** Adds tokens to today's count and returns the new total. */
  add(userId: UserId, tokens: number): Promise<number> {
    return this.#limiter.addUsage(this.#key(userId), tokens, 2 * DAY_MS);
  }

  #key(userId: UserId): string {
    const day = this.#clock.now().toISOString().slice(0, 10);
    return `assistant-tokens:${userId}:${day}`;
  }
}
