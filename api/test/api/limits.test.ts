import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  errorCodes,
  type GraphQLResponse,
  openDirect,
  signUp,
  startTestServer,
  subscribe,
  type TestServer,
  type TestUser,
} from '../support/server.ts';

const SEND = 'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }';

describe('limits and bad input', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let conversationId: string;

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        RATE_LIMIT_SEND_MESSAGE: '5/1h',
        // The schema has no cycles, so real queries stay shallow; a low limit still shows it works.
        QUERY_MAX_DEPTH: '5',
        QUERY_MAX_ALIASES: '5',
        REQUEST_MAX_BYTES: '20000',
        WS_MAX_PAYLOAD_BYTES: '20000',
      },
    });
    alice = await signUp(server, 'Alice');
    bob = await signUp(server, 'Bob');
    conversationId = await openDirect(server, alice, bob);
  });

  afterAll(async () => {
    await server.close();
  });

  /** Proves the server still answers normally. */
  async function stillServing() {
    const result = await server.gql<{ me: { id: string } }>('{ me { id } }', {}, bob.accessToken);
    expect(result.data?.me.id).toBe(bob.id);
  }

  function post(body: string, headers: Record<string, string> = {}) {
    return server.app.yoga.fetch('http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  }

  it('rejects empty, blank and over-long message bodies', async () => {
    for (const body of ['', '   \n\t ', 'x'.repeat(4001)]) {
      const result = await server.gql(
        SEND,
        { input: { conversationId, body, clientId: randomUUID() } },
        bob.accessToken,
      );
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    }
    const longest = await server.gql<{ sendMessage: { id: string } }>(
      SEND,
      { input: { conversationId, body: ` ${'y'.repeat(4000)} `, clientId: randomUUID() } },
      bob.accessToken,
    );
    expect(longest.data?.sendMessage.id).toBeDefined();
    await stillServing();
  });

  it('refuses a request body over the size limit with 413, and empty or broken ones', async () => {
    const huge = await post(JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(30_000)}` }));
    expect(huge.status).toBe(413);
    const hugeBody = (await huge.json()) as GraphQLResponse;
    expect(errorCodes(hugeBody)).toEqual(['BAD_USER_INPUT']);

    const empty = await post('');
    expect(empty.status).toBe(400);
    const broken = await post('{"query": ');
    expect(broken.status).toBe(400);
    await stillServing();
  });

  it('rejects malformed documents, depth bombs, alias floods and token floods', async () => {
    const malformed = await server.gql('{ me { id ', {}, bob.accessToken);
    expect(malformed.errors?.[0]?.message).toMatch(/Syntax Error/);
    expect(errorCodes(malformed)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(malformed.data ?? null).toBeNull();

    const bomb = `{ me { id } conversations { edges { node { lastMessage { sender { name } }
      messages { edges { node { sender { online } } } } } } } }`;
    const deep = await server.gql(bomb, {}, bob.accessToken);
    expect(deep.errors?.[0]?.message).toMatch(/depth limit/i);
    expect(deep.data ?? null).toBeNull();

    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ');
    const flood = await server.gql(`{ ${aliases} }`, {}, bob.accessToken);
    expect(flood.errors?.[0]?.message).toMatch(/aliases/i);
    expect(flood.data ?? null).toBeNull();

    const tokens = await server.gql(`{ me { ${'id '.repeat(3000)} } }`, {}, bob.accessToken);
    expect(tokens.errors?.[0]?.message).toMatch(/token limit/i);
    await stillServing();
  });

  it('applies the same document limits over WebSocket, and closes on an oversized frame', async () => {
    const client = server.wsClient(`Bearer ${bob.accessToken}`);
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: inbox { __typename }`).join(' ');
    const flood = subscribe(client, `subscription { ${aliases} }`);
    // graphql-ws reports validation errors through the sink's `error`.
    const { error } = await flood.ended;
    expect(JSON.stringify(error)).toMatch(/aliases/i);

    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('open', () => {
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(30_000) } }),
      );
    });
    expect(await closed).toBe(1009); // Message Too Big
    await stillServing();
  });

  it('rate-limits a flood of sends with RATE_LIMITED and retryAfter, per user', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        server.gql(
          SEND,
          { input: { conversationId, body: `flood ${i}`, clientId: randomUUID() } },
          alice.accessToken,
        ),
      ),
    );
    const limited = results.filter((result) => errorCodes(result).includes('RATE_LIMITED'));
    expect(results.length - limited.length).toBe(5);
    expect(limited).toHaveLength(7);
    for (const result of limited) {
      expect(result.errors?.[0]?.extensions?.['retryAfter']).toBeGreaterThan(0);
      expect(result.data ?? null).toBeNull();
    }
    // Another user is not affected.
    const other = await server.gql<{ sendMessage: { id: string } }>(
      SEND,
      { input: { conversationId, body: 'still fine', clientId: randomUUID() } },
      bob.accessToken,
    );
    expect(other.data?.sendMessage.id).toBeDefined();
    await stillServing();
  });
});
