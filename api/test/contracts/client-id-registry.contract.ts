import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientIdRegistry } from '../../src/ports/client-id-registry.ts';
import { aMessage, uniqueId } from './fixtures.ts';

/**
 * The ClientIdRegistry port's semantics, for every adapter (memory, Redis): the first send
 * of a (conversation, clientId) claims it and every retry gets that first message back.
 */
export function describeClientIdRegistryContract(
  name: string,
  makeRegistry: () => Promise<ClientIdRegistry>,
): void {
  describe(`ClientIdRegistry contract: ${name}`, () => {
    let registry: ClientIdRegistry;

    beforeEach(async () => {
      registry = await makeRegistry();
    });

    afterEach(async () => {
      await registry.close();
    });

    it('lets the first send claim, and answers a retry with that first message, not durable', async () => {
      const conversationId = uniqueId('conv');
      const first = aMessage(conversationId, 1, { clientId: 'c-1' });
      expect(await registry.claim(first)).toBeNull();
      const retry = aMessage(conversationId, 2, { clientId: 'c-1', body: 'retry' });
      expect(await registry.claim(retry)).toEqual({ message: first, durable: false });
    });

    it('reports the claim durable once marked', async () => {
      const conversationId = uniqueId('conv');
      const first = aMessage(conversationId, 1, { clientId: 'c-1' });
      await registry.claim(first);
      await registry.markDurable(conversationId, 'c-1');
      expect(await registry.claim(aMessage(conversationId, 2, { clientId: 'c-1' }))).toEqual({
        message: first,
        durable: true,
      });
    });

    it('scopes a clientId to its conversation', async () => {
      const [a, b] = [uniqueId('conv'), uniqueId('conv')];
      expect(await registry.claim(aMessage(a, 1, { clientId: 'same' }))).toBeNull();
      expect(await registry.claim(aMessage(b, 1, { clientId: 'same' }))).toBeNull();
      await registry.markDurable(a, 'same');
      expect(await registry.claim(aMessage(b, 2, { clientId: 'same' }))).toMatchObject({
        durable: false,
      });
    });

    it('lets exactly one of 20 concurrent claims win; the rest get the winner', async () => {
      const conversationId = uniqueId('conv');
      const attempts = Array.from({ length: 20 }, (_, index) =>
        aMessage(conversationId, index + 1, { clientId: 'contended' }),
      );
      const results = await Promise.all(attempts.map((message) => registry.claim(message)));
      const winners = attempts.filter((_, index) => results[index] === null);
      expect(winners).toHaveLength(1);
      for (const result of results) {
        if (result !== null) expect(result.message).toEqual(winners[0]);
      }
    });

    it('never claims a message without a clientId, and ignores marking an unknown key', async () => {
      const conversationId = uniqueId('conv');
      const system = aMessage(conversationId, 1, { clientId: null, kind: 'SYSTEM' });
      expect(await registry.claim(system)).toBeNull();
      expect(await registry.claim({ ...system, seq: 2 })).toBeNull();
      await expect(registry.markDurable(conversationId, 'unknown')).resolves.toBeUndefined();
    });
  });
}
