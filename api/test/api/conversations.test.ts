import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

type ConversationList = {
  conversations: {
    edges: { cursor: string; node: { id: string; lastMessage: { body: string } | null } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

const LIST = `query ($first: Int, $after: String) {
  conversations(first: $first, after: $after) {
    edges { cursor node { id lastMessage { body } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('contacts and conversations', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  beforeEach(async () => {
    server = await startTestServer();
    alice = await signUp(server, 'Alice');
    bob = await signUp(server, 'Bob');
    carol = await signUp(server, 'Carol');
  });

  afterEach(async () => {
    await server.close();
  });

  it('adds, renames and lists contacts', async () => {
    const add = (email: string, nickname?: string) =>
      server.gql<{ addContact: { nickname: string | null; user: { id: string } } }>(
        'mutation ($input: AddContactInput!) { addContact(input: $input) { nickname user { id } } }',
        { input: { email, nickname } },
        alice.accessToken,
      );
    expect((await add(bob.email, 'Bobby')).data?.addContact).toEqual({
      nickname: 'Bobby',
      user: { id: bob.id },
    });
    expect((await add(carol.email.toUpperCase())).data?.addContact.nickname).toBeNull();
    expect(errorCodes(await add('nobody@example.test'))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await add(alice.email))).toEqual(['BAD_USER_INPUT']);

    const renamed = await server.gql<{ renameContact: { nickname: string } }>(
      'mutation ($id: ID!) { renameContact(userId: $id, nickname: "  Caz  ") { nickname } }',
      { id: carol.id },
      alice.accessToken,
    );
    expect(renamed.data?.renameContact.nickname).toBe('Caz');
    const notContact = await server.gql(
      'mutation ($id: ID!) { renameContact(userId: $id, nickname: "x") { nickname } }',
      { id: alice.id },
      bob.accessToken,
    );
    expect(errorCodes(notContact)).toEqual(['NOT_FOUND']);

    const list = await server.gql<{ contacts: { nickname: string; user: { name: string } }[] }>(
      '{ contacts { nickname user { name } } }',
      {},
      alice.accessToken,
    );
    expect(
      list.data?.contacts.map((contact) => [contact.user.name, contact.nickname]).sort(),
    ).toEqual([
      ['Bob', 'Bobby'],
      ['Carol', 'Caz'],
    ]);
    // Contacts are per owner.
    const bobs = await server.gql<{ contacts: unknown[] }>(
      '{ contacts { nickname } }',
      {},
      bob.accessToken,
    );
    expect(bobs.data?.contacts).toEqual([]);
  });

  it('gives a pair one direct conversation, even when opened concurrently', async () => {
    const ids = await Promise.all([
      openDirect(server, alice, bob),
      openDirect(server, bob, alice),
      openDirect(server, alice, bob),
      openDirect(server, bob, alice),
    ]);
    expect(new Set(ids).size).toBe(1);
    const self = await server.gql(
      'mutation ($id: ID!) { openDirectConversation(userId: $id) { id } }',
      { id: alice.id },
      alice.accessToken,
    );
    expect(errorCodes(self)).toEqual(['BAD_USER_INPUT']);
    const unknown = await server.gql(
      'mutation { openDirectConversation(userId: "nobody") { id } }',
      {},
      alice.accessToken,
    );
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
  });

  it('creates groups of existing users with the creator as a member', async () => {
    const group = await server.gql<{
      createGroupConversation: { kind: string; title: string; members: { id: string }[] };
    }>(
      `mutation ($input: CreateGroupInput!) {
        createGroupConversation(input: $input) { kind title members { id } }
      }`,
      { input: { title: ' Weekend ', memberIds: [bob.id, carol.id, bob.id] } },
      alice.accessToken,
    );
    expect(group.data?.createGroupConversation.kind).toBe('GROUP');
    expect(group.data?.createGroupConversation.title).toBe('Weekend');
    expect(group.data?.createGroupConversation.members.map((member) => member.id).sort()).toEqual(
      [alice.id, bob.id, carol.id].sort(),
    );
    const bad = await server.gql(
      'mutation { createGroupConversation(input: { title: "x", memberIds: ["ghost"] }) { id } }',
      {},
      alice.accessToken,
    );
    expect(errorCodes(bad)).toEqual(['NOT_FOUND']);
    const untitled = await server.gql(
      'mutation { createGroupConversation(input: { title: "  ", memberIds: [] }) { id } }',
      {},
      alice.accessToken,
    );
    expect(errorCodes(untitled)).toEqual(['BAD_USER_INPUT']);
  });

  it('lists conversations by most recent activity, paginated', async () => {
    const withBob = await openDirect(server, alice, bob);
    const withCarol = await openDirect(server, alice, carol);
    await sendMessage(server, alice, withBob, 'to bob');
    await sendMessage(server, carol, withCarol, 'from carol');
    await sendMessage(server, bob, withBob, 'bob again');

    const first = await server.gql<ConversationList>(LIST, { first: 1 }, alice.accessToken);
    const page1 = first.data?.conversations;
    expect(page1?.edges.map((edge) => edge.node)).toEqual([
      { id: withBob, lastMessage: { body: 'bob again' } },
    ]);
    expect(page1?.pageInfo.hasNextPage).toBe(true);
    const second = await server.gql<ConversationList>(
      LIST,
      { first: 5, after: page1?.pageInfo.endCursor },
      alice.accessToken,
    );
    expect(second.data?.conversations.edges.map((edge) => edge.node)).toEqual([
      { id: withCarol, lastMessage: { body: 'from carol' } },
    ]);
    expect(second.data?.conversations.pageInfo.hasNextPage).toBe(false);
  });

  it('tells members about new conversations and messages through inbox', async () => {
    type Inbox = GraphQLResponse<{
      inbox: { __typename: string; conversation: { id: string }; message: { body: string } | null };
    }>;
    const inbox = subscribe<Inbox>(
      server.wsClient(`Bearer ${bob.accessToken}`),
      `subscription { inbox { __typename
        ... on ConversationActivity { conversation { id } message { body } } } }`,
    );
    const probe = await openDirect(server, bob, carol);
    await untilLive(inbox, () => sendMessage(server, bob, probe, 'probe'));
    const fresh = await openDirect(server, alice, bob);
    await sendMessage(server, alice, fresh, 'hi bob');
    const seen = [];
    for (;;) {
      const event = (await inbox.next()).data?.inbox;
      if (event?.conversation.id !== fresh) continue;
      seen.push(event.message?.body ?? null);
      if (event.message) break;
    }
    expect(seen).toEqual([null, 'hi bob']);
  });
});
