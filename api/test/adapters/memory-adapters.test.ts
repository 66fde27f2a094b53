import { describe, expect, it } from 'vitest';
import { createMemoryClientIdRegistry } from '../../src/adapters/memory/client-id-registry.ts';
import {
  createMemoryEventBus,
  EventStreamOverflowError,
} from '../../src/adapters/memory/event-bus.ts';
import { createMemoryAdapters } from '../../src/adapters/memory/index.ts';
import { createMemoryMessageCache } from '../../src/adapters/memory/message-cache.ts';
import {
  createGroupCommitLog,
  MessageLogClosedError,
  MessageLogFullError,
} from '../../src/adapters/memory/message-log.ts';
import { createMemoryRateLimiter } from '../../src/adapters/memory/rate-limiter.ts';
import { createMemorySeqAllocator } from '../../src/adapters/memory/seq-allocator.ts';
import type { ConversationEvent } from '../../src/ports/events.ts';
import type { LogRecord } from '../../src/ports/message-log.ts';
import {
  aMessage,
  Condition,
  createDeferred,
  messageRange,
  seqsOf,
  uniqueId,
} from '../contracts/fixtures.ts';
import { ManualClock } from './manual-clock.ts';

function created(seq: number): LogRecord {
  return { type: 'message.created', message: aMessage('conv', seq) };
}

describe('memory event bus', () => {
  const event: ConversationEvent = { type: 'ResyncRequired', latestSeq: 1 };

  it('cuts off a subscriber whose queue overflows, without holding up the others', async () => {
    const bus = createMemoryEventBus({ maxQueuedEvents: 3 });
    const slow = await bus.subscribe('conversation:event', 'c');
    const fast = await bus.subscribe('conversation:event', 'c');
    for (let index = 0; index < 5; index += 1) {
      await bus.publish('conversation:event', 'c', event);
      expect(await fast.next()).toEqual({ value: event, done: false });
    }
    await expect(slow.next()).rejects.toBeInstanceOf(EventStreamOverflowError);
    expect(await slow.next()).toMatchObject({ done: true });
    expect(bus.channelCount).toBe(1);
    await fast.return();
    expect(bus.channelCount).toBe(0);
    await bus.close();
  });

  it('frees a channel when its last subscriber returns', async () => {
    const bus = createMemoryEventBus();
    const a = await bus.subscribe('conversation:event', 'c');
    const b = await bus.subscribe('inbox:event', 'c');
    const c = await bus.subscribe('conversation:event', 'c');
    expect(bus.channelCount).toBe(2);
    await a.return();
    await b.return();
    expect(bus.channelCount).toBe(1);
    await c.return();
    await c.return();
    expect(bus.channelCount).toBe(0);
    await bus.close();
  });

  it('ends live streams on close and refuses further use', async () => {
    const bus = createMemoryEventBus();
    const stream = await bus.subscribe('conversation:event', 'c');
    const waiting = stream.next();
    await bus.close();
    expect(await waiting).toMatchObject({ done: true });
    expect(bus.channelCount).toBe(0);
    await expect(bus.subscribe('conversation:event', 'c')).rejects.toThrow(/closed/);
    await expect(bus.publish('conversation:event', 'c', event)).rejects.toThrow(/closed/);
  });
});

describe('memory message cache', () => {
  it('evicts the least recently used conversation beyond its bound', async () => {
    const cache = createMemoryMessageCache({ maxConversations: 2 });
    const [a, b, c] = [uniqueId('a'), uniqueId('b'), uniqueId('c')];
    for (const id of [a, b]) await cache.fill(id, messageRange(id, 1, 2), true, true);
    expect(await cache.listBefore(a, null, 1)).not.toBeNull();
    await cache.fill(c, messageRange(c, 1, 2), true, true);

    expect(await cache.listBefore(b, null, 1)).toBeNull();
    expect(await cache.listAfter(b, 0)).toEqual([]);
    expect(seqsOf(await cache.listBefore(a, null, 5))).toEqual([1, 2]);
    expect(seqsOf(await cache.listBefore(c, null, 5))).toEqual([1, 2]);
  });

  it('keeps 200 messages per conversation by default', async () => {
    const cache = createMemoryMessageCache();
    const id = uniqueId('conv');
    await cache.fill(id, [], true, true);
    for (const message of messageRange(id, 1, 250)) await cache.put(message);
    expect(await cache.listBefore(id, null, 200)).toHaveLength(200);
    expect(await cache.listBefore(id, null, 201)).toBeNull();
    expect((await cache.listAfter(id, 0))[0]?.seq).toBe(51);
  });
});

describe('memory seq allocator', () => {
  it('reads the floor once for many concurrent calls on a cold conversation', async () => {
    let reads = 0;
    const seq = createMemorySeqAllocator(async () => {
      reads += 1;
      return 10;
    });
    const issued = await Promise.all(Array.from({ length: 100 }, () => seq.next('c')));
    expect(reads).toBe(1);
    expect(issued).toEqual(Array.from({ length: 100 }, (_, index) => 11 + index));
  });

  it('adds the configured headroom above the floor', async () => {
    const seq = createMemorySeqAllocator(async () => 10, { headroom: 1000 });
    expect(await seq.next('c')).toBe(1011);
  });

  it('rejects a floor that is not a natural number, and refuses after close', async () => {
    const seq = createMemorySeqAllocator(async () => -1);
    await expect(seq.next('c')).rejects.toBeInstanceOf(RangeError);
    await seq.close();
    await expect(seq.next('c')).rejects.toThrow(/closed/);
  });
});

describe('memory rate limiter', () => {
  it('slides its window exactly', async () => {
    const clock = new ManualClock();
    const limiter = createMemoryRateLimiter({ clock });
    const rule = { limit: 2, windowMs: 1000 };
    expect(await limiter.consume('k', rule)).toEqual({ allowed: true });
    clock.advance(400);
    expect(await limiter.consume('k', rule)).toEqual({ allowed: true });
    clock.advance(100);
    expect(await limiter.consume('k', rule)).toEqual({ allowed: false, retryAfterMs: 500 });
    clock.advance(500);
    expect(await limiter.consume('k', rule)).toEqual({ allowed: true });
    clock.advance(1);
    expect(await limiter.consume('k', rule)).toEqual({ allowed: false, retryAfterMs: 399 });
  });

  it('sweeps keys whose window has passed', async () => {
    const clock = new ManualClock();
    const limiter = createMemoryRateLimiter({ clock, sweepEvery: 10 });
    for (let index = 0; index < 20; index += 1) {
      await limiter.consume(`key-${index}`, { limit: 1, windowMs: 1000 });
    }
    await limiter.addUsage('tokens', 5, 1000);
    expect(limiter.size).toBe(21);
    clock.advance(1000);
    for (let index = 0; index < 10; index += 1) {
      await limiter.consume('active', { limit: 100, windowMs: 1000 });
    }
    expect(limiter.size).toBe(1);
  });

  it('adds usage to a counter that expires ttlMs after its first add', async () => {
    const clock = new ManualClock();
    const limiter = createMemoryRateLimiter({ clock });
    expect(await limiter.addUsage('u', 0, 1000)).toBe(0);
    expect(limiter.size).toBe(0);
    expect(await limiter.addUsage('u', 5, 1000)).toBe(5);
    clock.advance(600);
    expect(await limiter.addUsage('u', 3, 1000)).toBe(8);
    expect(await limiter.addUsage('u', 0, 1000)).toBe(8);
    clock.advance(400);
    expect(await limiter.addUsage('u', 0, 1000)).toBe(0);
    expect(await limiter.addUsage('u', 2, 1000)).toBe(2);
  });
});

describe('memory clientId registry', () => {
  it('forgets a claim after its TTL', async () => {
    const clock = new ManualClock();
    const registry = createMemoryClientIdRegistry({ clock, ttlMs: 1000 });
    const first = aMessage('c', 1, { clientId: 'k' });
    await registry.claim(first);
    clock.advance(999);
    expect(await registry.claim(aMessage('c', 2, { clientId: 'k' }))).toMatchObject({
      message: first,
    });
    clock.advance(1);
    expect(await registry.claim(aMessage('c', 3, { clientId: 'k' }))).toBeNull();
  });

  it('keeps at most maxEntries claims, dropping the oldest', async () => {
    const registry = createMemoryClientIdRegistry({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) {
      await registry.claim(aMessage('c', 1, { clientId: key }));
    }
    expect(await registry.claim(aMessage('c', 2, { clientId: 'd' }))).not.toBeNull();
    expect(await registry.claim(aMessage('c', 2, { clientId: 'a' }))).toBeNull();
  });
});

describe('memory group-commit log', () => {
  it('writes the appends that arrive during a write as the next batch', async () => {
    const log = createGroupCommitLog({ lingerMs: 0, onHandlerError: () => {} });
    const firstEntered = createDeferred();
    const releaseFirst = createDeferred();
    const batches: number[] = [];
    await log.start(async (records) => {
      batches.push(records.length);
      if (batches.length === 1) {
        firstEntered.resolve();
        await releaseFirst.promise;
      }
    });
    const first = log.append(created(1));
    await firstEntered.promise;
    const rest = Array.from({ length: 10 }, (_, index) => log.append(created(index + 2)));
    expect(log.pending).toBe(11);
    releaseFirst.resolve();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([1, 10]);
    expect(log.pending).toBe(0);
    await log.close();
  });

  it('splits the queue into batches of at most maxBatch, in order', async () => {
    const log = createGroupCommitLog({ maxBatch: 4, onHandlerError: () => {} });
    const appends = Array.from({ length: 10 }, (_, index) => log.append(created(index + 1)));
    const batches: number[][] = [];
    await log.start(async (records) => {
      batches.push(records.map((record) => record.message.seq));
    });
    await Promise.all(appends);
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    await log.close();
  });

  it('rejects appends beyond maxPending with MessageLogFullError', async () => {
    const log = createGroupCommitLog({ maxPending: 2, onHandlerError: () => {} });
    const pending = [log.append(created(1)), log.append(created(2))];
    await expect(log.append(created(3))).rejects.toBeInstanceOf(MessageLogFullError);
    await log.close();
    for (const append of pending)
      await expect(append).rejects.toBeInstanceOf(MessageLogClosedError);
  });

  it('reports each failed attempt, and stop() cuts a backoff short so close() can give up', async () => {
    const failures = new Condition();
    const attempts: number[] = [];
    const log = createGroupCommitLog({
      retryInitialMs: 60_000,
      onHandlerError: (_error, attempt) => {
        attempts.push(attempt);
        failures.notify();
      },
    });
    await log.start(async () => {
      throw new Error('disk full');
    });
    const append = log.append(created(1));
    await failures.until(() => attempts.length === 1);
    await log.stop();
    expect(log.pending).toBe(1);
    await log.close();
    await expect(append).rejects.toBeInstanceOf(MessageLogClosedError);
    expect(attempts).toEqual([1]);
  });

  it('refuses a second start while running', async () => {
    const log = createGroupCommitLog({ onHandlerError: () => {} });
    await log.start(async () => {});
    await expect(log.start(async () => {})).rejects.toThrow(/already started/);
    await log.close();
  });
});

describe('createMemoryAdapters', () => {
  it('builds every in-process port, with one queue as both log ends', async () => {
    const adapters = createMemoryAdapters({
      clock: new ManualClock(),
      seqFloor: async () => 41,
      onLogHandlerError: () => {},
    });
    expect(adapters.logConsumer).toBe(adapters.log);
    expect(await adapters.seq.next('c')).toBe(42);
    const written: LogRecord[] = [];
    await adapters.logConsumer.start(async (records) => {
      written.push(...records);
    });
    await adapters.log.append(created(1));
    expect(written).toHaveLength(1);
    await adapters.log.close();
    await adapters.bus.close();
  });
});
