import { afterEach, describe, expect, it } from 'vitest';
import {
  connectRaw,
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

type InboxResult = GraphQLResponse<{
  inbox: {
    __typename: string;
    user?: { id: string };
    online?: boolean;
    message?: { body: string } | null;
  };
}>;

type EventResult = GraphQLResponse<{
  conversationEvents: {
    __typename: string;
    user?: { id: string };
    typing?: boolean;
    seq?: number;
    message?: { body: string };
  };
}>;

const INBOX = `subscription { inbox { __typename
  ... on PresenceChanged { user { id } online }
  ... on ConversationActivity { message { body } } } }`;

const EVENTS = `subscription ($id: ID!) { conversationEvents(conversationId: $id) { __typename
  ... on TypingChanged { user { id } typing }
  ... on ReadUpTo { user { id } seq }
  ... on MessageAdded { message { body } } } }`;

describe('presence, typing and read marks', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let conversationId: string;

  async function setUp(env: Record<string, string> = {}) {
    server = await startTestServer({ env });
    alice = await signUp(server, 'Alice');
    bob = await signUp(server, 'Bob');
    conversationId = await openDirect(server, alice, bob);
    await server.gql(
      'mutation ($input: AddContactInput!) { addContact(input: $input) { nickname } }',
      { input: { email: bob.email } },
      alice.accessToken,
    );
  }

  /** Alice's inbox, live, with the probe events drained. */
  async function aliceInbox() {
    const inbox = subscribe<InboxResult>(server.wsClient(`Bearer ${alice.accessToken}`), INBOX);
    await untilLive(inbox, () => sendMessage(server, alice, conversationId, 'probe'));
    await drainUntil(inbox, 'inbox sentinel');
    return inbox;
  }

  async function drainUntil(inbox: ReturnType<typeof subscribe<InboxResult>>, body: string) {
    await sendMessage(server, alice, conversationId, body);
    const events = [];
    for (;;) {
      const event = (await inbox.next()).data?.inbox;
      if (event?.message?.body === body) return events;
      events.push(event);
    }
  }

  async function isOnline(userId: string): Promise<boolean | undefined> {
    const result = await server.gql<{
      conversation: { members: { id: string; online: boolean }[] };
    }>(
      'query ($id: ID!) { conversation(id: $id) { members { id online } } }',
      { id: conversationId },
      alice.accessToken,
    );
    return result.data?.conversation.members.find((member) => member.id === userId)?.online;
  }

  afterEach(async () => {
    await server.close();
  });

  it('shows a user online while a socket is open, and tells their contacts', async () => {
    await setUp();
    const inbox = await aliceInbox();
    expect(await isOnline(bob.id)).toBe(false);

    const socket = await connectRaw(server.wsUrl, { authorization: `Bearer ${bob.accessToken}` });
    expect((await inbox.next()).data?.inbox).toEqual({
      __typename: 'PresenceChanged',
      user: { id: bob.id },
      online: true,
    });
    expect(await isOnline(bob.id)).toBe(true);

    socket.socket.close();
    expect((await inbox.next()).data?.inbox).toEqual({
      __typename: 'PresenceChanged',
      user: { id: bob.id },
      online: false,
    });
    expect(await isOnline(bob.id)).toBe(false);
  });

  it('keeps a user online through a quick reconnect within the grace period', async () => {
    await setUp({ PRESENCE_GRACE_MS: '600000' });
    const inbox = await aliceInbox();
    const first = await connectRaw(server.wsUrl, { authorization: `Bearer ${bob.accessToken}` });
    expect((await inbox.next()).data?.inbox).toMatchObject({ online: true });

    const closed = new Promise((resolve) => first.socket.on('close', resolve));
    first.socket.close();
    await closed;
    const second = await connectRaw(server.wsUrl, { authorization: `Bearer ${bob.accessToken}` });
    expect(second.acknowledged).toBe(true);
    // Nothing about Bob between the reconnect and a sentinel: no offline, no second online.
    expect(await drainUntil(inbox, 'after reconnect')).toEqual([]);
    expect(await isOnline(bob.id)).toBe(true);
    second.socket.close();
  });

  it('announces typing, ends it on send, and expires it on the server', async () => {
    await setUp({ TYPING_TTL_MS: '300' });
    const events = subscribe<EventResult>(server.wsClient(`Bearer ${bob.accessToken}`), EVENTS, {
      id: conversationId,
    });
    await untilLive(events, () => sendMessage(server, alice, conversationId, 'probe'));
    await sendMessage(server, alice, conversationId, 'sentinel');
    while ((await events.next()).data?.conversationEvents.message?.body !== 'sentinel') {
      // drain probes
    }

    const setTyping = (typing: boolean) =>
      server.gql(
        'mutation ($id: ID!, $typing: Boolean!) { setTyping(conversationId: $id, typing: $typing) }',
        { id: conversationId, typing },
        alice.accessToken,
      );
    const typingEvent = (typing: boolean) => ({
      __typename: 'TypingChanged',
      user: { id: alice.id },
      typing,
    });

    expect((await setTyping(true)).data).toEqual({ setTyping: true });
    expect((await events.next()).data?.conversationEvents).toEqual(typingEvent(true));
    await sendMessage(server, alice, conversationId, 'done typing');
    // The message goes out first (nothing delays it); then the indicator ends.
    expect((await events.next()).data?.conversationEvents.message?.body).toBe('done typing');
    expect((await events.next()).data?.conversationEvents).toEqual(typingEvent(false));

    await setTyping(true);
    expect((await events.next()).data?.conversationEvents).toEqual(typingEvent(true));
    // No stop from the client: the server's expiry ends it.
    expect((await events.next()).data?.conversationEvents).toEqual(typingEvent(false));
  });

  it('moves read marks forward only, tells members, and counts unread', async () => {
    await setUp();
    const aliceEvents = subscribe<EventResult>(
      server.wsClient(`Bearer ${alice.accessToken}`),
      EVENTS,
      { id: conversationId },
    );
    await untilLive(aliceEvents, () => sendMessage(server, bob, conversationId, 'probe'));
    const probes = await server.gql<{ conversation: { lastMessage: { seq: number } } }>(
      'query ($id: ID!) { conversation(id: $id) { lastMessage { seq } } }',
      { id: conversationId },
      bob.accessToken,
    );
    const probeSeq = probes.data?.conversation.lastMessage.seq ?? 0;
    const markRead = (user: TestUser, seq: number) =>
      server.gql<{ markRead: { lastReadSeq: number; unreadCount: number } }>(
        'mutation ($id: ID!, $seq: Int!) { markRead(conversationId: $id, seq: $seq) { lastReadSeq unreadCount } }',
        { id: conversationId, seq },
        user.accessToken,
      );
    // Alice reads Bob's probes, so that only new messages count.
    await markRead(alice, probeSeq);

    const sent = [];
    for (let i = 0; i < 3; i++)
      sent.push(await sendMessage(server, alice, conversationId, `m${i}`));
    const secondSeq = sent[1]?.seq ?? 0;

    const state = async (user: TestUser) =>
      (
        await server.gql<{ conversation: { lastReadSeq: number; unreadCount: number } }>(
          'query ($id: ID!) { conversation(id: $id) { lastReadSeq unreadCount } }',
          { id: conversationId },
          user.accessToken,
        )
      ).data?.conversation;

    const bobBefore = await state(bob);
    expect(bobBefore?.lastReadSeq).toBe(0);
    expect(bobBefore?.unreadCount).toBeGreaterThanOrEqual(3);
    expect(await state(alice)).toEqual({ lastReadSeq: probeSeq, unreadCount: 0 });

    expect((await markRead(bob, secondSeq)).data?.markRead).toEqual({
      lastReadSeq: secondSeq,
      unreadCount: 1,
    });
    let event = (await aliceEvents.next()).data?.conversationEvents;
    while (event?.__typename !== 'ReadUpTo' || event.user?.id !== bob.id) {
      event = (await aliceEvents.next()).data?.conversationEvents;
    }
    expect(event).toEqual({ __typename: 'ReadUpTo', user: { id: bob.id }, seq: secondSeq });

    // Backwards is a no-op; beyond the newest message is clamped to it.
    expect((await markRead(bob, 1)).data?.markRead.lastReadSeq).toBe(secondSeq);
    const lastSeq = sent[2]?.seq ?? 0;
    expect((await markRead(bob, lastSeq + 1000)).data?.markRead).toEqual({
      lastReadSeq: lastSeq,
      unreadCount: 0,
    });

    await sendMessage(server, bob, conversationId, 'reply');
    expect(await state(alice)).toEqual({ lastReadSeq: probeSeq, unreadCount: 1 });
    expect((await state(bob))?.unreadCount).toBe(0);
  });
});
