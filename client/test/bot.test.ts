/** The README's bot example, run against the real API server. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeferred } from '../../api/test/support/gemini-fixture.ts';
import {
  openDirect,
  sendMessage,
  signUp,
  startTestServer,
  subscribe,
  type TestServer,
} from '../../api/test/support/server.ts';
import { runBot } from '../examples/bot.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

interface Event {
  data?: { conversationEvents: { __typename: string; message?: { body: string; seq: number } } };
}

it('logs in, listens to a conversation and replies', async () => {
  const alice = await signUp(server, 'Alice');
  const bot = await signUp(server, 'Bot');
  const conversationId = await openDirect(server, alice, bot);
  const earlier = await sendMessage(server, alice, conversationId, 'said before the bot started');

  const stop = new AbortController();
  const ready = createDeferred();
  const running = runBot({
    url: `${server.url}/graphql`,
    email: bot.email,
    password: 'correct horse battery',
    conversationId,
    signal: stop.signal,
    onReady: () => ready.resolve(),
  });

  const watch = subscribe<Event>(
    server.wsClient(`Bearer ${alice.accessToken}`),
    `subscription ($id: ID!, $after: Int!) { conversationEvents(conversationId: $id, afterSeq: $after) {
      __typename ... on MessageAdded { message { body seq } } } }`,
    { id: conversationId, after: earlier.seq },
  );
  await ready.promise;
  await sendMessage(server, alice, conversationId, 'ping');
  const seen: string[] = [];
  while (!seen.includes('pong')) {
    const event = await watch.next();
    const body = event.data?.conversationEvents.message?.body;
    if (body) seen.push(body);
  }
  expect(seen).toEqual(['ping', 'pong']);

  stop.abort();
  await running;
  watch.stop();
});
