import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventBus, EventStream } from '../../src/ports/event-bus.ts';
import type { ConversationEvent } from '../../src/ports/events.ts';
import { aMessage, uniqueId } from './fixtures.ts';

/**
 * The EventBus port's semantics, for every adapter (memory, Redis). `makeBus` returns a
 * ready bus; each test gets its own and closes it. Channel ids are random.
 */
export function describeEventBusContract(name: string, makeBus: () => Promise<EventBus>): void {
  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;

    beforeEach(async () => {
      bus = await makeBus();
    });

    afterEach(async () => {
      await bus.close();
    });

    function added(conversationId: string, seq: number): ConversationEvent {
      return { type: 'MessageAdded', message: aMessage(conversationId, seq) };
    }

    async function take<T>(stream: EventStream<T>, count: number): Promise<T[]> {
      const events: T[] = [];
      while (events.length < count) {
        const result = await stream.next();
        if (result.done) throw new Error(`stream ended after ${events.length} of ${count} events`);
        events.push(result.value);
      }
      return events;
    }

    it('delivers every event published after subscribe resolved, in publish order, Dates revived', async () => {
      const id = uniqueId('conv');
      const stream = await bus.subscribe('conversation:event', id);
      const events = Array.from({ length: 50 }, (_, index) => added(id, index + 1));
      await Promise.all(events.map((event) => bus.publish('conversation:event', id, event)));
      expect(await take(stream, 50)).toEqual(events);
      await stream.return();
    });

    it('scopes channels by topic and id', async () => {
      const id = uniqueId('shared');
      const other = uniqueId('other');
      const conversation = await bus.subscribe('conversation:event', id);
      const otherConversation = await bus.subscribe('conversation:event', other);
      const inbox = await bus.subscribe('inbox:event', id);

      const elsewhere = added(other, 1);
      await bus.publish('conversation:event', other, elsewhere);
      await bus.publish('inbox:event', id, { type: 'PresenceChanged', userId: 'u', online: true });
      const marker = added(id, 2);
      await bus.publish('conversation:event', id, marker);

      expect(await take(conversation, 1)).toEqual([marker]);
      expect(await take(otherConversation, 1)).toEqual([elsewhere]);
      expect(await take(inbox, 1)).toEqual([
        { type: 'PresenceChanged', userId: 'u', online: true },
      ]);
      for (const stream of [conversation, otherConversation, inbox]) await stream.return();
    });

    it('gives every subscriber of a channel every event', async () => {
      const id = uniqueId('conv');
      const first = await bus.subscribe('conversation:event', id);
      const second = await bus.subscribe('conversation:event', id);
      const events = [
        added(id, 1),
        added(id, 2),
        { type: 'ResyncRequired', latestSeq: 9 } as const,
      ];
      for (const event of events) await bus.publish('conversation:event', id, event);
      expect(await take(first, 3)).toEqual(events);
      expect(await take(second, 3)).toEqual(events);
      await first.return();
      await second.return();
    });

    it('return() ends the stream: a waiting next() resolves done and nothing more arrives', async () => {
      const id = uniqueId('conv');
      const leaving = await bus.subscribe('conversation:event', id);
      const staying = await bus.subscribe('conversation:event', id);
      const waiting = leaving.next();

      expect(await leaving.return()).toMatchObject({ done: true });
      expect(await waiting).toMatchObject({ done: true });
      const after = added(id, 1);
      await bus.publish('conversation:event', id, after);
      // Once the staying subscriber has the event, the bus has delivered it everywhere it would.
      expect(await take(staying, 1)).toEqual([after]);
      expect(await leaving.next()).toMatchObject({ done: true });
      await staying.return();
    });

    it('does not let a subscriber that is not reading hold up publishers or other subscribers', async () => {
      const id = uniqueId('conv');
      const idle = await bus.subscribe('conversation:event', id);
      const reader = await bus.subscribe('conversation:event', id);
      const events = Array.from({ length: 200 }, (_, index) => added(id, index + 1));
      for (const event of events) await bus.publish('conversation:event', id, event);
      expect(await take(reader, 200)).toEqual(events);
      await idle.return();
      await reader.return();
    });

    it('works with for await, and breaking out unsubscribes', async () => {
      const id = uniqueId('conv');
      const stream = await bus.subscribe('conversation:event', id);
      const events = [added(id, 1), added(id, 2), added(id, 3)];
      for (const event of events) await bus.publish('conversation:event', id, event);
      const seen: ConversationEvent[] = [];
      for await (const event of stream) {
        seen.push(event);
        if (seen.length === 2) break;
      }
      expect(seen).toEqual(events.slice(0, 2));
      expect(await stream.next()).toMatchObject({ done: true });

      const again = await bus.subscribe('conversation:event', id);
      const later = added(id, 4);
      await bus.publish('conversation:event', id, later);
      expect(await take(again, 1)).toEqual([later]);
      await again.return();
    });

    it('accepts a publish nobody listens to', async () => {
      await expect(
        bus.publish('conversation:event', uniqueId('nobody'), added('x', 1)),
      ).resolves.toBeUndefined();
    });
  });
}
