import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorCodes,
  openDirect,
  sendMessage,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../support/server.ts';

interface ReadMarkResult {
  readonly user: { readonly id: string; readonly name: string };
  readonly seq: number;
}

const READ_MARKS =
  'query ($id: ID!) { conversation(id: $id) { readMarks { user { id name } seq } } }';

describe('Conversation.readMarks', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await signUp(server, 'Alice');
    bob = await signUp(server, 'Bob');
  });

  afterAll(async () => {
    await server.close();
  });

  const readMarks = async (viewer: TestUser, conversationId: string) => {
    const result = await server.gql<{ conversation: { readMarks: ReadMarkResult[] } }>(
      READ_MARKS,
      { id: conversationId },
      viewer.accessToken,
    );
    expect(result.errors).toBeUndefined();
    const marks = result.data?.conversation.readMarks ?? [];
    return [...marks].sort((a, b) => a.user.name.localeCompare(b.user.name));
  };

  const markRead = async (reader: TestUser, conversationId: string, seq: number) => {
    const result = await server.gql(
      'mutation ($id: ID!, $seq: Int!) { markRead(conversationId: $id, seq: $seq) { id } }',
      { id: conversationId, seq },
      reader.accessToken,
    );
    expect(result.errors).toBeUndefined();
  };

  it('shows a sender how far the others read before the chat was opened', async () => {
    const conversationId = await openDirect(server, alice, bob);
    expect(await readMarks(alice, conversationId)).toEqual([]);

    await sendMessage(server, alice, conversationId, 'first');
    const second = await sendMessage(server, alice, conversationId, 'second');
    // Bob reads while Alice has no subscription open: no ReadUpTo reaches her.
    await markRead(bob, conversationId, second.seq);

    expect(await readMarks(alice, conversationId)).toEqual([
      { user: { id: bob.id, name: 'Bob' }, seq: second.seq },
    ]);

    await markRead(alice, conversationId, second.seq);
    const third = await sendMessage(server, bob, conversationId, 'third');
    await markRead(alice, conversationId, third.seq);
    // Everyone's mark, the viewer's own included, as each member sees it.
    const expected = [
      { user: { id: alice.id, name: 'Alice' }, seq: third.seq },
      { user: { id: bob.id, name: 'Bob' }, seq: second.seq },
    ];
    expect(await readMarks(alice, conversationId)).toEqual(expected);
    expect(await readMarks(bob, conversationId)).toEqual(expected);
  });

  it('gives each group member every reader', async () => {
    const carol = await signUp(server, 'Carol');
    const created = await server.gql<{ createGroupConversation: { id: string } }>(
      'mutation ($input: CreateGroupInput!) { createGroupConversation(input: $input) { id } }',
      { input: { title: 'Trio', memberIds: [bob.id, carol.id] } },
      alice.accessToken,
    );
    const groupId = created.data?.createGroupConversation.id ?? '';
    const message = await sendMessage(server, alice, groupId, 'hello both');
    await markRead(bob, groupId, message.seq);
    await markRead(carol, groupId, message.seq);

    // Through the conversation list too, not only conversation(id).
    const list = await server.gql<{
      conversations: { edges: { node: { id: string; readMarks: ReadMarkResult[] } }[] };
    }>(
      '{ conversations(first: 5) { edges { node { id readMarks { user { id name } seq } } } } }',
      {},
      alice.accessToken,
    );
    const group = list.data?.conversations.edges.find((edge) => edge.node.id === groupId);
    expect(group?.node.readMarks.map((mark) => [mark.user.name, mark.seq]).sort()).toEqual([
      ['Bob', message.seq],
      ['Carol', message.seq],
    ]);
  });

  it('shows nothing to a non-member', async () => {
    const mallory = await signUp(server, 'Mallory');
    const conversationId = await openDirect(server, alice, bob);
    const result = await server.gql<{ conversation: unknown }>(
      READ_MARKS,
      { id: conversationId },
      mallory.accessToken,
    );
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.data?.conversation ?? null).toBeNull();
  });
});
