import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from '../../src/adapters/memory/rate-limiter.ts';
import type { Clock } from '../../src/ports/clock.ts';
import { TokenLedger } from '../../src/services/assistant/token-ledger.ts';

/** A clock the test moves by hand. */
function manualClock(start: string): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return {
    now: () => now,
    set: (iso) => {
      now = new Date(iso);
    },
  };
}

describe('RateLimiter.addUsage (memory) and the daily token ledger', () => {
  it('adds, reads with 0 and expires a usage counter after its ttl', async () => {
    const clock = manualClock('2025-09-01T10:00:00Z');
    const limiter = createMemoryRateLimiter({ clock });

    expect(await limiter.addUsage('k', 0, 1000)).toBe(0);
    expect(await limiter.addUsage('k', 120, 1000)).toBe(120);
    expect(await limiter.addUsage('k', 30, 1000)).toBe(150);
    expect(await limiter.addUsage('other', 5, 1000)).toBe(5);
    clock.set('2025-09-01T10:00:01Z');
    expect(await limiter.addUsage('k', 0, 1000)).toBe(0);
  });

  it('counts tokens per user per UTC day', async () => {
    const clock = manualClock('2025-09-01T23:59:00Z');
    const ledger = new TokenLedger(createMemoryRateLimiter({ clock }), clock);

    await ledger.add('ana', 400);
    await ledger.add('ana', 100);
    await ledger.add('ben', 7);
    expect(await ledger.spentToday('ana')).toBe(500);
    expect(await ledger.spentToday('ben')).toBe(7);
    clock.set('2025-09-02T00:00:00Z');
    expect(await ledger.spentToday('ana')).toBe(0);
  });
});
