import { afterEach, describe, expect, it } from 'vitest';
import type { MessageCache } from '../../src/ports/message-cache.ts';
import { aMessage, messageRange, seqsOf, uniqueId } from './fixtures.ts';

export interface MessageCacheContractOptions {
  /** Newest messages kept per conversation. */
  readonly windowSize: number;
}

/**
 * The MessageCache port's semantics, for every adapter (memory, Redis): when a window may
 * answer `listBefore` (a hit must be provably complete) and when it must miss. Conversation
 * ids are random, so a shared Redis works.
 */
export function describeMessageCacheContract(
  name: string,
  makeCache: (options: MessageCacheContractOptions) => Promise<MessageCache>,
): void {
  describe(`MessageCache contract: ${name}`, () => {
    const opened: MessageCache[] = [];

    async function open(windowSize = 50): Promise<MessageCache> {
      const cache = await makeCache({ windowSize });
      opened.push(cache);
      return cache;
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((cache) => cache.close()));
    });

    it('proves nothing from puts alone: listBefore misses, listAfter returns them ascending', async () => {
      const cache = await open();
      const id = uniqueId('conv');
      for (const seq of [3, 1, 2]) await cache.put(aMessage(id, seq));
      expect(await cache.listBefore(id, null, 1)).toBeNull();
      expect(seqsOf(await cache.listAfter(id, 0))).toEqual([1, 2, 3]);
      expect(seqsOf(await cache.listAfter(id, 2))).toEqual([3]);
      expect(await cache.listAfter(uniqueId('cold'), 0)).toEqual([]);
    });

    it('a fill from the newest read proves the window from its first seq up', async () => {
      const cache = await open();
      const id = uniqueId('conv');
      const stored = messageRange(id, 5, 6);
      await cache.fill(id, stored, false, true);

      expect(await cache.listBefore(id, null, 3)).toEqual(stored.slice(3));
      expect(seqsOf(await cache.listBefore(id, null, 6))).toEqual([5, 6, 7, 8, 9, 10]);
      expect(seqsOf(await cache.listBefore(id, 8, 3))).toEqual([5, 6, 7]);
      expect(seqsOf(await cache.listBefore(id, 6, 1))).toEqual([5]);
      // Anything reaching below the first filled seq cannot be proven.
      expect(await cache.listBefore(id, null, 7)).toBeNull();
      expect(await cache.listBefore(id, 5, 1)).toBeNull();
    });

    it('once the start is reached, fewer than asked for is still a hit', async () => {
      const cache = await open();
      const id = uniqueId('conv');
      await cache.fill(id, messageRange(id, 1, 3), true, true);
      expect(seqsOf(await cache.listBefore(id, null, 10))).toEqual([1, 2, 3]);
      expect(seqsOf(await cache.listBefore(id, 2, 10))).toEqual([1]);
      expect(seqsOf(await cache.listBefore(id, 1, 10))).toEqual([]);
    });

    it('an empty newest read that reached the start proves an empty conversation', async () => {
      const cache = await open();
      const id = uniqueId('conv');
      await cache.fill(id, [], true, true);
      expect(await cache.listBefore(id, null, 5)).toEqual([]);
      await cache.put(aMessage(id, 1));
      await cache.put(aMessage(id, 2));
      expect(seqsOf(await cache.listBefore(id, null, 5))).toEqual([1, 2]);
    });

    it('puts after a proof extend it, gaps and out-of-order puts included', async () => {
      const cache = await open();
      const id = uniqueId('conv');
      await cache.fill(id, [aMessage(id, 2), aMessage(id, 4)], false, true);
      await cache.put(aMessage(id, 9));
      await cache.put(aMessage(id, 7));
      expect(seqsOf(await cache.listBefore(id, null, 4))).toEqual([2, 4, 7, 9]);
      expect(seqsOf(await cache.listBefore(id, 9, 2))).toEqual([4, 7]);
      expect(seqsOf(await cache.listAfter(id, 4))).toEqual([7, 9]);
    });

    it('a fill that is neither from the newest read nor reaching the proven range proves nothing', async () => {
      const cache = await open();
      const cold = uniqueId('conv');
      // An older page (a `before` read) on a cold window: newer messages may exist in the store.
      await cache.fill(cold, messageRange(cold, 1, 5), true, false);
      expect(await cache.listBefore(cold, null, 1)).toBeNull();
      expect(await cache.listBefore(cold, 3, 1)).toBeNull();

      const warm = uniqueId('conv');
      await cache.fill(warm, messageRange(warm, 20, 5), false, true);
      // Seqs 13..19 may exist: a page of 10..12 leaves a gap, so it must not count.
      await cache.fill(warm, messageRange(warm, 10, 3), false, false);
      expect(await cache.listBefore(warm, 20, 3)).toBeNull();
      expect(seqsOf(await cache.listBefore(warm, null, 5))).toEqual([20, 21, 22, 23, 24]);
    });

    it('an older page that reaches into the proven range extends it', async () => {
      const cache = await open();
      const id = uniqueId('conv');
      await cache.fill(id, messageRange(id, 20, 5), false, true);
      await cache.fill(id, messageRange(id, 15, 6), false, false);
      expect(seqsOf(await cache.listBefore(id, 20, 5))).toEqual([15, 16, 17, 18, 19]);
      await cache.fill(id, messageRange(id, 1, 15), true, false);
      expect(seqsOf(await cache.listBefore(id, 3, 10))).toEqual([1, 2]);
    });

    it('put replaces by seq; fill never overwrites what is cached (a put is fresher)', async () => {
      const cache = await open();
      const id = uniqueId('conv');
      const streaming = aMessage(id, 5, { kind: 'ASSISTANT', status: 'STREAMING', body: '' });
      await cache.fill(id, [...messageRange(id, 1, 4), streaming], true, true);
      const complete = { ...streaming, status: 'COMPLETE' as const, body: 'final answer' };
      await cache.put(complete);
      expect(await cache.listBefore(id, null, 1)).toEqual([complete]);

      // A store read taken before the final state was persisted still says STREAMING.
      await cache.fill(id, [aMessage(id, 4), streaming], false, true);
      expect(await cache.listBefore(id, null, 1)).toEqual([complete]);
      expect(await cache.listAfter(id, 4)).toEqual([complete]);
    });

    it('keeps only the newest windowSize messages; older reads then miss', async () => {
      const cache = await open(5);
      const id = uniqueId('conv');
      await cache.fill(id, messageRange(id, 1, 3), true, true);
      for (const message of messageRange(id, 4, 7)) await cache.put(message);
      expect(seqsOf(await cache.listBefore(id, null, 5))).toEqual([6, 7, 8, 9, 10]);
      expect(await cache.listBefore(id, null, 6)).toBeNull();
      expect(await cache.listBefore(id, 6, 1)).toBeNull();
      expect(seqsOf(await cache.listAfter(id, 0))).toEqual([6, 7, 8, 9, 10]);
    });

    it('keeps conversations apart', async () => {
      const cache = await open();
      const [a, b] = [uniqueId('conv'), uniqueId('conv')];
      await cache.fill(a, messageRange(a, 1, 2), true, true);
      await cache.put(aMessage(b, 7));
      expect(seqsOf(await cache.listBefore(a, null, 5))).toEqual([1, 2]);
      expect(await cache.listBefore(b, null, 1)).toBeNull();
      expect(seqsOf(await cache.listAfter(b, 0))).toEqual([7]);
    });
  });
}
