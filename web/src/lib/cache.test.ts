/**
 * Graphcache's keys and updaters against the real API: messages from sendMessage,
 * conversationEvents and inbox land once, in seq order, in the normalised cache, and the
 * conversation list follows activity.
 */
import { createClient as createWsClient } from 'graphql-ws';
import {
  type AnyVariables,
  Client,
  type DocumentInput,
  fetchExchange,
  subscriptionExchange,
} from 'urql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openDirect,
  sendMessage,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../../../api/test/support/server.ts';
import { conversationListSize, createCacheExchange, messagePageSize } from './cache.ts';
import {
  ConversationEventsSubscription,
  ConversationsQuery,
  ConversationViewQuery,
  InboxSubscription,
  SendMessageMutation,
} from './operations.ts';

let server: TestServer;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const close of closers) await close();
  await server?.close();
});

/** An urql client for `user` with the app's cache over real HTTP and WebSocket transports. */
function clientFor(user: TestUser): Client {
  const ws = createWsClient({
    url: server.wsUrl,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${user.accessToken}` },
  });
  closers.push(() => ws.dispose());
  return new Client({
    url: `${server.url}/graphql`,
    fetchOptions: { headers: { authorization: `Bearer ${user.accessToken}` } },
    exchanges: [
      createCacheExchange(),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: ws.subscribe(
              { ...request, query: request.query ?? '' },
              {
                next: ({ data }) => sink.next({ data: data ?? null }),
                error: (error) => sink.error(error),
                complete: () => sink.complete(),
              },
            ),
          }),
        }),
      }),
    ],
  });
}

/** Resolves with the first cache result of `query` that satisfies `predicate`. */
function waitForCache<Data, Variables extends AnyVariables>(
  client: Client,
  query: DocumentInput<Data, Variables>,
  variables: Variables,
  predicate: (data: Data) => boolean,
): Promise<Data> {
  return new Promise((resolve) => {
    const { unsubscribe } = client
      .query(query, variables, { requestPolicy: 'cache-only' })
      .subscribe((result) => {
        if (result.data && predicate(result.data)) {
          queueMicrotask(() => unsubscribe());
          resolve(result.data);
        }
      });
  });
}

/** Keeps a subscription open (its results flow through the cache) until the test ends. */
function keepSubscribed<Variables extends AnyVariables>(
  client: Client,
  query: DocumentInput<unknown, Variables>,
  variables: Variables,
): Promise<void> {
  return new Promise((resolve) => {
    const { unsubscribe } = client.subscription(query, variables).subscribe(() => resolve());
    closers.push(unsubscribe);
  });
}

describe('graphcache updaters', () => {
  it('puts messages from every source into the newest page once, in seq order', async () => {
    const alice = await signUp(server, 'Alice');
    const bob = await signUp(server, 'Bob');
    const conversationId = await openDirect(server, alice, bob);
    await sendMessage(server, alice, conversationId, 'before');
    const client = clientFor(bob);
    const view = { id: conversationId, last: messagePageSize };
    await client.query(ConversationViewQuery, view).toPromise();

    const subscribed = keepSubscribed(client, ConversationEventsSubscription, {
      conversationId,
      afterSeq: 0,
    });
    await sendMessage(server, alice, conversationId, 'live');
    await subscribed;
    const sent = await client
      .mutation(SendMessageMutation, { input: { conversationId, body: 'mine', clientId: 'k1' } })
      .toPromise();
    expect(sent.error).toBeUndefined();

    const data = await waitForCache(client, ConversationViewQuery, view, (d) => {
      const bodies = d.conversation?.messages.edges.map((edge) => edge.node.body) ?? [];
      return bodies.includes('mine') && bodies.includes('live');
    });
    const edges = data.conversation?.messages.edges ?? [];
    expect(edges.map((edge) => edge.node.body)).toEqual(['before', 'live', 'mine']);
    const seqs = edges.map((edge) => edge.node.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(data.conversation?.lastMessage?.body).toBe('mine');
  });

  it('moves the conversation with new activity to the top of the list', async () => {
    const bob = await signUp(server, 'Bob');
    const carol = await signUp(server, 'Carol');
    const dave = await signUp(server, 'Dave');
    const withCarol = await openDirect(server, carol, bob);
    const withDave = await openDirect(server, dave, bob);
    await sendMessage(server, carol, withCarol, 'first');
    await sendMessage(server, dave, withDave, 'second');

    const client = clientFor(bob);
    const list = { first: conversationListSize };
    const initial = await client.query(ConversationsQuery, list).toPromise();
    expect(initial.data?.conversations.edges.map((edge) => edge.node.id)).toEqual([
      withDave,
      withCarol,
    ]);

    // The inbox has no replay and no "subscribed" signal: Carol keeps writing until Bob's
    // inbox delivers an event, which proves the subscription is live.
    let live = false;
    void keepSubscribed(client, InboxSubscription, {}).then(() => {
      live = true;
    });
    while (!live) await sendMessage(server, carol, withCarol, 'again');
    const data = await waitForCache(
      client,
      ConversationsQuery,
      list,
      (d) => d.conversations.edges[0]?.node.id === withCarol,
    );
    expect(data.conversations.edges.map((edge) => edge.node.id)).toEqual([withCarol, withDave]);
    expect(data.conversations.edges[0]?.node.lastMessage?.body).toMatch(/again/);
  });
});
