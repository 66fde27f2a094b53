import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  errorCodes,
  openDirect,
  type SentMessage,
  sendMessage,
  signUp,
  startTestServer,
  type TestServer,
} from '../support/server.ts';

describe('restart with the same DATA_DIR', () => {
  let dataDir = '';
  let server: TestServer | null = null;

  afterEach(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps history, sessions, read marks, contacts and seq order', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-restart-'));
    // No JWT_SECRET: the generated one in DATA_DIR must survive the restart too.
    const env = { JWT_SECRET: '' };
    server = await startTestServer({ dataDir, env });
    const alice = await signUp(server, 'Alice');
    const bob = await signUp(server, 'Bob');
    const conversationId = await openDirect(server, alice, bob);
    await server.gql(
      'mutation ($input: AddContactInput!) { addContact(input: $input) { nickname } }',
      { input: { email: bob.email, nickname: 'Bobby' } },
      alice.accessToken,
    );
    const sent: SentMessage[] = [];
    for (let i = 0; i < 5; i++)
      sent.push(await sendMessage(server, alice, conversationId, `m${i}`));
    const marked = await server.gql(
      'mutation ($id: ID!, $seq: Int!) { markRead(conversationId: $id, seq: $seq) { lastReadSeq } }',
      { id: conversationId, seq: sent[2]?.seq },
      bob.accessToken,
    );
    expect(marked).toEqual({ data: { markRead: { lastReadSeq: sent[2]?.seq } } });
    await server.close();

    server = await startTestServer({ dataDir, env });
    // The access token still verifies (same secret) and the refresh token still rotates.
    const state = await server.gql<{
      me: { id: string };
      contacts: { nickname: string; user: { id: string } }[];
      conversation: {
        lastReadSeq: number;
        unreadCount: number;
        messages: { edges: { node: SentMessage }[] };
      };
    }>(
      `query ($id: ID!) {
        me { id }
        contacts { nickname user { id } }
        conversation(id: $id) {
          lastReadSeq unreadCount
          messages { edges { node { id seq body clientId } } }
        }
      }`,
      { id: conversationId },
      bob.accessToken,
    );
    expect(state.errors).toBeUndefined();
    expect(state.data?.me.id).toBe(bob.id);
    expect(state.data?.conversation.messages.edges.map((edge) => edge.node)).toEqual(sent);
    expect(state.data?.conversation.lastReadSeq).toBe(sent[2]?.seq);
    expect(state.data?.conversation.unreadCount).toBe(2);

    const contacts = await server.gql<{ contacts: { nickname: string }[] }>(
      '{ contacts { nickname } }',
      {},
      alice.accessToken,
    );
    expect(contacts.data?.contacts).toEqual([{ nickname: 'Bobby' }]);

    const refreshed = await server.gql<{ refreshSession: { user: { id: string } } }>(
      'mutation ($t: String!) { refreshSession(refreshToken: $t) { user { id } } }',
      { t: alice.refreshToken },
    );
    expect(refreshed.data?.refreshSession.user.id).toBe(alice.id);
    // Rotation state survived too: the token just used is now spent.
    const reused = await server.gql(
      'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }',
      { t: alice.refreshToken },
    );
    expect(errorCodes(reused)).toEqual(['UNAUTHENTICATED']);

    // New messages continue above every seq issued before the restart.
    const next = await sendMessage(server, bob, conversationId, 'after restart');
    expect(next.seq).toBeGreaterThan(sent.at(-1)?.seq ?? Number.POSITIVE_INFINITY);
  });
});
