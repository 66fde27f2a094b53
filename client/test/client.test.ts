/**
 * @parley/client against the real API server on a free port: typed requests, refresh on
 * UNAUTHENTICATED and on a 4403 close, and gapless resume after a reconnect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeferred, type Deferred } from '../../api/test/support/gemini-fixture.ts';
import {
  openDirect,
  sendMessage,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../../api/test/support/server.ts';
import {
  type ConversationEvent,
  createParleyClient,
  MeDocument,
  type ParleyClientOptions,
  ParleyError,
  RefreshSessionDocument,
  SendMessageDocument,
  SignUpDocument,
} from '../src/index.ts';

let server: TestServer;
let graphqlUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  graphqlUrl = `${server.url}/graphql`;
});
afterAll(() => server?.close());

/** A client for `user` whose tokens start as given and rotate through refreshSession. */
function clientFor(user: TestUser, startToken: string, extra: Partial<ParleyClientOptions> = {}) {
  const state = { accessToken: startToken, refreshToken: user.refreshToken, refreshes: 0 };
  const client = createParleyClient({
    url: graphqlUrl,
    getAccessToken: () => state.accessToken,
    refresh: async () => {
      state.refreshes += 1;
      const anonymous = createParleyClient({
        url: graphqlUrl,
        getAccessToken: () => null,
        refresh: async () => {
          throw new Error('no refresh for a refresh');
        },
      });
      const { refreshSession } = await anonymous.request(RefreshSessionDocument, {
        refreshToken: state.refreshToken,
      });
      state.accessToken = refreshSession.accessToken;
      state.refreshToken = refreshSession.refreshToken;
    },
    ...extra,
  });
  return { client, state };
}

/** Reads `count` events from the iterator. */
async function take(events: AsyncIterator<ConversationEvent>, count: number) {
  const taken: ConversationEvent[] = [];
  while (taken.length < count) {
    const next = await events.next();
    if (next.done) throw new Error(`stream ended after ${taken.length} events`);
    taken.push(next.value);
  }
  return taken;
}

const bodies = (events: readonly ConversationEvent[]) =>
  events.map((event) =>
    event.__typename === 'MessageAdded' ? event.message.body : event.__typename,
  );

describe('@parley/client', () => {
  it('runs typed operations and reports GraphQL errors with their code', async () => {
    const client = createParleyClient({
      url: graphqlUrl,
      getAccessToken: () => null,
      refresh: async () => {
        throw new Error('signed out');
      },
    });
    const email = `typed-${Date.now()}@example.test`;
    const { signUp: payload } = await client.request(SignUpDocument, {
      input: { email, password: 'correct horse battery', name: 'Typed' },
    });
    expect(payload.user.name).toBe('Typed');

    const duplicate = client.request(SignUpDocument, {
      input: { email, password: 'correct horse battery', name: 'Again' },
    });
    await expect(duplicate).rejects.toBeInstanceOf(ParleyError);
    await expect(duplicate).rejects.toMatchObject({ code: 'CONFLICT' });
    await client.close();
  });

  it('ends a subscription the server refuses with a ParleyError carrying the code', async () => {
    const alice = await signUp(server, 'Alice');
    const bob = await signUp(server, 'Bob');
    const mallory = await signUp(server, 'Mallory');
    const conversationId = await openDirect(server, alice, bob);
    const { client } = clientFor(mallory, mallory.accessToken);
    const events = client.conversationEvents(conversationId, { afterSeq: 0 });
    const refused = await events.next().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ParleyError);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain((refused as ParleyError).code);
    await client.close();
  });

  it('refreshes the access token after UNAUTHENTICATED and retries once', async () => {
    const user = await signUp(server, 'Refresher');
    const { client, state } = clientFor(user, 'not-a-valid-token');
    const { me } = await client.request(MeDocument);
    expect(me.id).toBe(user.id);
    expect(state.refreshes).toBe(1);
    await client.close();
  });

  it('refreshes on a 4403 close and then subscribes', async () => {
    const alice = await signUp(server, 'Alice');
    const bob = await signUp(server, 'Bob');
    const conversationId = await openDirect(server, alice, bob);
    const { client, state } = clientFor(bob, 'not-a-valid-token', { retryWait: async () => {} });
    const events = client.conversationEvents(conversationId, { afterSeq: 0 });
    await sendMessage(server, alice, conversationId, 'after the refresh');
    expect(bodies(await take(events, 1))).toEqual(['after the refresh']);
    expect(state.refreshes).toBe(1);
    await events.return?.();
    await client.close();
  });

  it('resumes after a reconnect with exactly the missed messages, in order, then live', async () => {
    const alice = await signUp(server, 'Alice');
    const bob = await signUp(server, 'Bob');
    const conversationId = await openDirect(server, alice, bob);
    // The test decides when the client may reconnect, so the sends surely fall in the gap.
    let gate: Deferred<void> = createDeferred();
    const waiting = createDeferred();
    const { client } = clientFor(bob, bob.accessToken, {
      retryWait: async () => {
        waiting.resolve();
        await gate.promise;
        gate = createDeferred();
      },
    });
    const connected = createDeferred();
    client.socket.on('connected', () => connected.resolve());

    const events = client.conversationEvents(conversationId, { afterSeq: 0 });
    await sendMessage(server, alice, conversationId, 'm1');
    expect(bodies(await take(events, 1))).toEqual(['m1']);
    await connected.promise;

    client.socket.terminate();
    await waiting.promise;
    for (const body of ['m2', 'm3', 'm4']) await sendMessage(server, alice, conversationId, body);
    gate.resolve();

    expect(bodies(await take(events, 3))).toEqual(['m2', 'm3', 'm4']);
    await sendMessage(server, alice, conversationId, 'm5');
    const [live] = await take(events, 1);
    expect(live && bodies([live])).toEqual(['m5']);

    // Idempotent sends through the typed client: the same clientId gives the same message.
    const input = { conversationId, body: 'once', clientId: 'fixed-client-id' };
    const first = await client.request(SendMessageDocument, { input });
    const again = await client.request(SendMessageDocument, { input });
    expect(again.sendMessage.id).toBe(first.sendMessage.id);
    // Announced once: the next event after it is the following message, not a repeat.
    await sendMessage(server, alice, conversationId, 'after once');
    expect(bodies(await take(events, 2))).toEqual(['once', 'after once']);
    await events.return?.();
    await client.close();
  });
});
