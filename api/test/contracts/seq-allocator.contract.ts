import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { SeqAllocator, SeqFloorSource } from '../../src/ports/seq-allocator.ts';
import { uniqueId } from './fixtures.ts';

/**
 * The SeqAllocator port's semantics, for every adapter (memory, Redis). `makeAllocator`
 * builds an allocator seeded by `floor` (the store's max seq in production). Conversation
 * ids are random, so a shared Redis works.
 */
export function describeSeqAllocatorContract(
  name: string,
  makeAllocator: (floor: SeqFloorSource) => Promise<SeqAllocator>,
): void {
  describe(`SeqAllocator contract: ${name}`, () => {
    const opened: SeqAllocator[] = [];

    async function open(floor: SeqFloorSource): Promise<SeqAllocator> {
      const allocator = await makeAllocator(floor);
      opened.push(allocator);
      return allocator;
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((allocator) => allocator.close()));
    });

    it('starts a cold conversation above its floor, then strictly increases', async () => {
      const allocator = await open(async () => 41);
      const id = uniqueId('conv');
      const issued: number[] = [];
      for (let index = 0; index < 5; index += 1) issued.push(await allocator.next(id));
      expect(issued[0]).toBeGreaterThan(41);
      for (let index = 1; index < issued.length; index += 1) {
        expect(issued[index]).toBeGreaterThan(issued[index - 1] ?? Number.POSITIVE_INFINITY);
      }
    });

    it('gives 100 concurrent next() on a cold conversation 100 distinct seqs above the floor', async () => {
      // Each floor read takes an event-loop turn, as real I/O does, so seeds overlap.
      const allocator = await open(async () => {
        await nextTurn();
        return 1000;
      });
      const id = uniqueId('conv');
      const issued = await Promise.all(Array.from({ length: 100 }, () => allocator.next(id)));
      expect(new Set(issued).size).toBe(100);
      expect(Math.min(...issued)).toBeGreaterThan(1000);
      expect(await allocator.next(id)).toBeGreaterThan(Math.max(...issued));
    });

    it('keeps conversations independent, each seeded from its own floor', async () => {
      const [low, high] = [uniqueId('conv'), uniqueId('conv')];
      const allocator = await open(async (id) => (id === high ? 500 : 0));
      const lowSeqs: number[] = [];
      const highSeqs: number[] = [];
      for (let index = 0; index < 3; index += 1) {
        lowSeqs.push(await allocator.next(low));
        highSeqs.push(await allocator.next(high));
      }
      expect(lowSeqs[0]).toBeGreaterThan(0);
      expect(Math.max(...lowSeqs)).toBeLessThan(500);
      expect(highSeqs[0]).toBeGreaterThan(500);
      expect([...lowSeqs].sort((x, y) => x - y)).toEqual(lowSeqs);
      expect([...highSeqs].sort((x, y) => x - y)).toEqual(highSeqs);
    });

    it('never reissues a seq after the allocator loses its state, given the floor', async () => {
      const id = uniqueId('conv');
      let stored = 0;
      const floor: SeqFloorSource = async () => stored;
      const first = await open(floor);
      const issued: number[] = [];
      for (let index = 0; index < 5; index += 1) issued.push(await first.next(id));
      stored = Math.max(...issued);
      await first.close();

      const second = await open(floor);
      expect(await second.next(id)).toBeGreaterThan(stored);
    });

    it('fails next() when the floor cannot be read, and a later call seeds again', async () => {
      const id = uniqueId('conv');
      let calls = 0;
      const allocator = await open(async () => {
        calls += 1;
        if (calls === 1) throw new Error('store unavailable');
        return 7;
      });
      await expect(allocator.next(id)).rejects.toThrow('store unavailable');
      expect(await allocator.next(id)).toBeGreaterThan(7);
    });
  });
}
