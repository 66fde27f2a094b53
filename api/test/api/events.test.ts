import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationEvent } from '../../src/ports/events.ts';
import {
  openDirect,
  sendMessage,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../support/server.ts';

describe('conversation event streams (services on the real adapters)', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let conversationId: string;

  beforeEach(async () => {
    server = await startTestServer();
    alice = await signUp(server, 'Alice');
    bob = await signUp(server, 'Bob');
    conversationId = await openDirect(server, alice, bob);
  });

  afterEach(async () => {
    await server.close();
  });

  it('ends a subscriber that fell too far behind with ResyncRequired, not silence', async () => {
    const { services, adapters } = server.app.core;
    const last = await sendMessage(server, alice, conversationId, 'before');
    const viewer = { userId: bob.id, expiresAt: new Date(Date.now() + 60_000) };
    const stream = await services.events.conversationEvents(viewer, conversationId, null);
    // Nobody reads the stream while far more events than the bus buffers are published.
    for (let i = 0; i < 1100; i++) {
      await adapters.bus.publish('conversation:event', conversationId, {
        type: 'TypingChanged',
        userId: alice.id,
        typing: i % 2 === 0,
      });
    }
    const events: ConversationEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events).toEqual([{ type: 'ResyncRequired', latestSeq: last.seq }]);
  });

  it('frees the bus subscription when the client unsubscribes before any event', async () => {
    const { services, adapters } = server.app.core;
    const channels = () => ('channelCount' in adapters.bus ? adapters.bus.channelCount : null);
    const before = channels();
    const viewer = { userId: bob.id, expiresAt: new Date(Date.now() + 60_000) };
    const stream = await services.events.conversationEvents(viewer, conversationId, 0);
    expect(channels()).toBe(Number(before) + 1);
    await stream[Symbol.asyncIterator]().return?.();
    expect(channels()).toBe(before);
  });
});
