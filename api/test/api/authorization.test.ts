import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorCodes,
  type GraphQLResponse,
  openDirect,
  sendMessage,
  signUp,
  startTestServer,
  subscribe,
  type TestServer,
  type TestUser,
  untilLive,
} from '../support/server.ts';

/** A refusal: an error with one of the refusing codes, and no data for the field. */
function expectRefused(result: GraphQLResponse<Record<string, unknown>>, field: string) {
  expect(errorCodes(result).length).toBeGreaterThan(0);
  for (const code of errorCodes(result)) expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code);
  expect(result.data?.[field] ?? null).toBeNull();
}

describe('authorisation', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let mallory: TestUser;
  let conversationId: string;
  let secret: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await signUp(server, 'Alice');
    bob = await signUp(server, 'Bob');
    mallory = await signUp(server, 'Mallory');
    conversationId = await openDirect(server, alice, bob);
    secret = (await sendMessage(server, alice, conversationId, 'the secret plan')).body;
  });

  afterAll(async () => {
    await server.close();
  });

  it('refuses a non-member every query and mutation on the conversation', async () => {
    const asMallory = (query: string, variables: Record<string, unknown> = {}) =>
      server.gql(query, { id: conversationId, ...variables }, mallory.accessToken);

    expectRefused(
      await asMallory('query ($id: ID!) { conversation(id: $id) { id title members { id } } }'),
      'conversation',
    );
    expectRefused(
      await asMallory(
        'query ($id: ID!) { conversation(id: $id) { messages { edges { node { body } } } } }',
      ),
      'conversation',
    );
    expectRefused(
      await asMallory(
        'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
        { input: { conversationId, body: 'let me in', clientId: 'm-1' } },
      ),
      'sendMessage',
    );
    expectRefused(
      await asMallory('mutation ($id: ID!) { setTyping(conversationId: $id, typing: true) }'),
      'setTyping',
    );
    expectRefused(
      await asMallory('mutation ($id: ID!) { markRead(conversationId: $id, seq: 1) { id } }'),
      'markRead',
    );

    // Her own lists show nothing of it.
    const lists = await server.gql<{ conversations: { edges: unknown[] } }>(
      '{ conversations { edges { node { id } } } }',
      {},
      mallory.accessToken,
    );
    expect(lists.data?.conversations.edges).toEqual([]);

    // And nothing she tried reached the members.
    const history = await server.gql<{
      conversation: { messages: { edges: { node: { body: string } }[] } };
    }>(
      'query ($id: ID!) { conversation(id: $id) { messages { edges { node { body } } } } }',
      { id: conversationId },
      alice.accessToken,
    );
    expect(history.data?.conversation.messages.edges.map((edge) => edge.node.body)).toEqual([
      secret,
    ]);
  });

  it('answers NOT_FOUND for conversations that do not exist', async () => {
    const result = await server.gql(
      'query { conversation(id: "no-such-conversation") { id } }',
      {},
      alice.accessToken,
    );
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
  });

  it('refuses a non-member subscription, with no events', async () => {
    const events = subscribe(
      server.wsClient(`Bearer ${mallory.accessToken}`),
      `subscription ($id: ID!) {
        conversationEvents(conversationId: $id, afterSeq: 0) {
          ... on MessageAdded { message { body } }
        }
      }`,
      { id: conversationId },
    );
    const first = await events.next();
    expect(errorCodes(first)).toEqual(['FORBIDDEN']);
    expect(first.data ?? null).toBeNull();
    expect((await events.ended).error).toBeNull();
  });

  it('refuses every operation without a token', async () => {
    for (const query of [
      '{ me { id } }',
      '{ contacts { nickname } }',
      '{ conversations { edges { cursor } } }',
      '{ searchUsers(query: "a") { id } }',
      `{ conversation(id: "${conversationId}") { id } }`,
    ]) {
      expect(errorCodes(await server.gql(query))).toEqual(['UNAUTHENTICATED']);
    }
    const anonymous = subscribe(server.wsClient(null), 'subscription { inbox { __typename } }');
    expect(errorCodes(await anonymous.next())).toEqual(['UNAUTHENTICATED']);
  });

  it('shows inbox activity of a conversation only to its members', async () => {
    type Inbox = GraphQLResponse<{
      inbox: { conversation?: { id: string }; message?: { body: string } | null };
    }>;
    const inbox = subscribe<Inbox>(
      server.wsClient(`Bearer ${mallory.accessToken}`),
      'subscription { inbox { ... on ConversationActivity { conversation { id } message { body } } } }',
    );
    const own = await openDirect(server, mallory, alice);
    await untilLive(inbox, () => sendMessage(server, mallory, own, 'probe'));
    await sendMessage(server, alice, conversationId, 'not for mallory');
    await sendMessage(server, mallory, own, 'sentinel');
    const seen: string[] = [];
    for (;;) {
      const event = (await inbox.next()).data?.inbox;
      seen.push(event?.conversation?.id ?? '');
      if (event?.message?.body === 'sentinel') break;
    }
    expect(new Set(seen)).toEqual(new Set([own]));
  });
});

describe('per-operation tokens on an anonymous socket (how GraphiQL authenticates)', () => {
  it('accepts extensions.headers.authorization, and refuses a forged one', async () => {
    const server = await startTestServer();
    try {
      const ann = await signUp(server, 'Ann');
      const client = server.wsClient(null);
      const run = (authorization: string) =>
        new Promise<GraphQLResponse>((resolve, reject) => {
          client.subscribe(
            { query: '{ me { id } }', extensions: { headers: { Authorization: authorization } } },
            {
              next: (value) => resolve(value as GraphQLResponse),
              error: reject,
              complete: () => {},
            },
          );
        });
      expect((await run(`Bearer ${ann.accessToken}`)).data).toEqual({ me: { id: ann.id } });
      await expect(run('Bearer forged')).rejects.toSatisfy((errors: unknown) =>
        JSON.stringify(errors).includes('UNAUTHENTICATED'),
      );
    } finally {
      await server.close();
    }
  });
});
