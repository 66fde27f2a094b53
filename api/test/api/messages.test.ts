import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type GraphQLResponse,
  MESSAGE_FIELDS,
  openDirect,
  type SentMessage,
  type Subscription,
  sendMessage,
  signUp,
  startTestServer,
  subscribe,
  type TestServer,
  type TestUser,
} from '../support/server.ts';

type EventResult = GraphQLResponse<{
  conversationEvents: {
    __typename: string;
    message?: SentMessage;
    latestSeq?: number;
  };
}>;

const EVENTS = `subscription ($id: ID!, $after: Int) {
  conversationEvents(conversationId: $id, afterSeq: $after) {
    __typename
    ... on MessageAdded { message { ${MESSAGE_FIELDS} } }
    ... on ResyncRequired { latestSeq }
  }
}`;

/** The next `count` messages of a conversationEvents subscription. */
async function takeMessages(events: Subscription<EventResult>, count: number) {
  const messages: SentMessage[] = [];
  while (messages.length < count) {
    const result = await events.next();
    expect(result.errors).toBeUndefined();
    const event = result.data?.conversationEvents;
    if (event?.__typename === 'MessageAdded' && event.message) messages.push(event.message);
  }
  return messages;
}

function history(server: TestServer, user: TestUser, id: string, last = 100, before?: string) {
  return server.gql<{
    conversation: {
      messages: {
        edges: { cursor: string; node: SentMessage }[];
        pageInfo: { hasPreviousPage: boolean; startCursor: string | null };
      };
    };
  }>(
    `query ($id: ID!, $last: Int, $before: String) {
      conversation(id: $id) {
        messages(last: $last, before: $before) {
          edges { cursor node { ${MESSAGE_FIELDS} } }
          pageInfo { hasPreviousPage startCursor }
        }
      }
    }`,
    { id, last, before },
    user.accessToken,
  );
}

describe('messages', () => {
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

  it('resumes a dropped subscription with exactly the missed messages, then live ones', async () => {
    const first = await sendMessage(server, alice, conversationId, 'before subscribing');

    const firstClient = server.wsClient(`Bearer ${bob.accessToken}`);
    const live = subscribe<EventResult>(firstClient, EVENTS, { id: conversationId, after: 0 });
    expect(await takeMessages(live, 1)).toEqual([first]);
    const seen = await sendMessage(server, alice, conversationId, 'seen live');
    expect(await takeMessages(live, 1)).toEqual([seen]);
    await firstClient.dispose();

    const missed: SentMessage[] = [];
    for (let i = 0; i < 7; i++) {
      missed.push(await sendMessage(server, alice, conversationId, `missed ${i}`));
    }

    const resumed = subscribe<EventResult>(server.wsClient(`Bearer ${bob.accessToken}`), EVENTS, {
      id: conversationId,
      after: seen.seq,
    });
    expect(await takeMessages(resumed, missed.length)).toEqual(missed);

    const after = [
      await sendMessage(server, alice, conversationId, 'live 1'),
      await sendMessage(server, bob, conversationId, 'live 2'),
    ];
    expect(await takeMessages(resumed, 2)).toEqual(after);
    // Nothing twice: the event right after the live ones is the next message sent.
    const sentinel = await sendMessage(server, alice, conversationId, 'sentinel');
    expect(await takeMessages(resumed, 1)).toEqual([sentinel]);
    expect(resumed.buffered).toBe(0);
  });

  it('replays and goes live without gaps or repeats while sends race the resume', async () => {
    const earlier = await sendMessage(server, alice, conversationId, 'earlier');
    const sends = Array.from({ length: 40 }, (_, i) =>
      sendMessage(server, i % 2 ? alice : bob, conversationId, `racing ${i}`),
    );
    const events = subscribe<EventResult>(server.wsClient(`Bearer ${bob.accessToken}`), EVENTS, {
      id: conversationId,
      after: earlier.seq,
    });
    const sent = await Promise.all(sends);
    const received = await takeMessages(events, sent.length);
    const expected = [...sent].sort((a, b) => a.seq - b.seq);
    expect(received).toEqual(expected);
    const sentinel = await sendMessage(server, alice, conversationId, 'sentinel');
    expect(await takeMessages(events, 1)).toEqual([sentinel]);
  });

  it('answers a resume that missed too much with ResyncRequired', async () => {
    await server.close();
    server = await startTestServer({ env: { RESYNC_THRESHOLD: '3' } });
    alice = await signUp(server, 'Alice');
    bob = await signUp(server, 'Bob');
    conversationId = await openDirect(server, alice, bob);
    const sent: SentMessage[] = [];
    for (let i = 0; i < 4; i++)
      sent.push(await sendMessage(server, alice, conversationId, `m${i}`));

    const events = subscribe<EventResult>(server.wsClient(`Bearer ${bob.accessToken}`), EVENTS, {
      id: conversationId,
      after: 0,
    });
    const first = await events.next();
    expect(first.data?.conversationEvents).toEqual({
      __typename: 'ResyncRequired',
      latestSeq: sent.at(-1)?.seq,
    });
    // The stream stays live after telling the client to resync.
    const next = await sendMessage(server, alice, conversationId, 'after resync');
    expect(await takeMessages(events, 1)).toEqual([next]);

    // Within the threshold, the backlog is replayed.
    const replay = subscribe<EventResult>(server.wsClient(`Bearer ${bob.accessToken}`), EVENTS, {
      id: conversationId,
      after: sent[1]?.seq,
    });
    expect(await takeMessages(replay, 3)).toEqual([sent[2], sent[3], next]);
  });

  it('gives 100 concurrent sends unique, increasing seqs and loses none', async () => {
    const events = subscribe<EventResult>(server.wsClient(`Bearer ${bob.accessToken}`), EVENTS, {
      id: conversationId,
      after: 0,
    });
    const sent = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        sendMessage(server, i % 2 ? alice : bob, conversationId, `concurrent ${i}`),
      ),
    );
    const seqs = sent.map((message) => message.seq);
    expect(new Set(seqs).size).toBe(100);
    expect(new Set(sent.map((message) => message.id)).size).toBe(100);

    const stored = await history(server, alice, conversationId, 100);
    const nodes = stored.data?.conversation.messages.edges.map((edge) => edge.node) ?? [];
    expect(nodes).toHaveLength(100);
    for (let i = 1; i < nodes.length; i++) {
      expect(nodes[i]?.seq).toBeGreaterThan(nodes[i - 1]?.seq ?? Number.POSITIVE_INFINITY);
    }
    expect(new Set(nodes.map((node) => node.id))).toEqual(new Set(sent.map((m) => m.id)));

    const received = await takeMessages(events, 100);
    expect(received).toEqual([...sent].sort((a, b) => a.seq - b.seq));
  });

  it('stores and announces a retried send once, and returns the first message', async () => {
    const events = subscribe<EventResult>(server.wsClient(`Bearer ${bob.accessToken}`), EVENTS, {
      id: conversationId,
      after: 0,
    });
    const clientId = randomUUID();
    const first = await sendMessage(server, alice, conversationId, 'hello', clientId);
    const retry = await sendMessage(server, alice, conversationId, 'hello', clientId);
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () => sendMessage(server, alice, conversationId, 'hi', clientId)),
    );
    expect(retry).toEqual(first);
    for (const message of concurrent) expect(message).toEqual(first);

    const racing = randomUUID();
    const raced = await Promise.all(
      Array.from({ length: 10 }, () => sendMessage(server, alice, conversationId, 'race', racing)),
    );
    expect(new Set(raced.map((message) => message.id)).size).toBe(1);

    const stored = await history(server, alice, conversationId);
    expect(stored.data?.conversation.messages.edges.map((edge) => edge.node)).toEqual([
      first,
      raced[0],
    ]);
    const sentinel = await sendMessage(server, alice, conversationId, 'sentinel');
    expect(await takeMessages(events, 3)).toEqual([first, raced[0], sentinel]);
  });

  it('pages history backwards on seq cursors, oldest to newest within a page', async () => {
    const sent: SentMessage[] = [];
    for (let i = 0; i < 7; i++)
      sent.push(await sendMessage(server, alice, conversationId, `p${i}`));

    const newest = await history(server, bob, conversationId, 3);
    const page1 = newest.data?.conversation.messages;
    expect(page1?.edges.map((edge) => edge.node)).toEqual(sent.slice(4));
    expect(page1?.pageInfo.hasPreviousPage).toBe(true);

    const older = await history(server, bob, conversationId, 3, page1?.pageInfo.startCursor ?? '');
    const page2 = older.data?.conversation.messages;
    expect(page2?.edges.map((edge) => edge.node)).toEqual(sent.slice(1, 4));
    expect(page2?.pageInfo.hasPreviousPage).toBe(true);

    const oldest = await history(server, bob, conversationId, 3, page2?.pageInfo.startCursor ?? '');
    expect(oldest.data?.conversation.messages.edges.map((edge) => edge.node)).toEqual(
      sent.slice(0, 1),
    );
    expect(oldest.data?.conversation.messages.pageInfo.hasPreviousPage).toBe(false);

    const bad = await history(server, bob, conversationId, 3, 'not-a-cursor');
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});
