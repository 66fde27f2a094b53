import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesAvailable } from '../support/services.ts';
import {
  type ClusterUser,
  createDeployment,
  type Deployment,
  gql,
  openDirect,
  type Sent,
  type ServiceProcess,
  signUp,
  trySend,
  wsClient,
} from './cluster.ts';
import { type Feed, feed, storedMessages } from './feeds.ts';

const EVENTS = `subscription ($id: ID!, $after: Int) {
  conversationEvents(conversationId: $id, afterSeq: $after) { __typename
    ... on MessageAdded { message { id seq body } }
    ... on TypingChanged { user { id } typing } } }`;

const INBOX = `subscription { inbox { __typename
  ... on PresenceChanged { user { id } online } } }`;

interface EventPayload {
  readonly conversationEvents: {
    readonly __typename: string;
    readonly message?: { readonly id: string; readonly seq: number; readonly body: string };
    readonly user?: { readonly id: string };
    readonly typing?: boolean;
  };
}

interface InboxPayload {
  readonly inbox: {
    readonly __typename: string;
    readonly user?: { readonly id: string };
    readonly online?: boolean;
  };
}

describe.runIf(servicesAvailable())('two API instances sharing Redis, Kafka and MongoDB', () => {
  let deployment: Deployment;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let alice: ClusterUser;
  let bob: ClusterUser;
  let conversationId: string;
  const clients: Client[] = [];

  function client(api: ServiceProcess, user: ClusterUser): Client {
    const created = wsClient(api, user);
    clients.push(created);
    return created;
  }

  async function send(api: ServiceProcess, body: string) {
    const sent = await trySend(api, alice, conversationId, body);
    if ('error' in sent) throw new Error(`send failed: ${sent.error}`);
    return sent;
  }

  /** Bob's events on `api`, live (probes sent through `via` until one arrives, then drained). */
  async function liveEvents(api: ServiceProcess, via: ServiceProcess): Promise<Feed<EventPayload>> {
    const events = feed<EventPayload>(client(api, bob), EVENTS, { id: conversationId });
    await events.untilLive(() => send(via, 'probe'));
    const marker = await send(via, `marker ${Math.random()}`);
    await events.skipUntil((event) => event.conversationEvents.message?.id === marker.id);
    return events;
  }

  /** Bob's online state as Alice sees it through instance A. */
  async function bobOnline(): Promise<boolean | undefined> {
    const result = await gql<{ conversation: { members: { id: string; online: boolean }[] } }>(
      a,
      'query ($id: ID!) { conversation(id: $id) { members { id online } } }',
      { id: conversationId },
      alice.token,
    );
    return result.data?.conversation.members.find((member) => member.id === bob.id)?.online;
  }

  beforeAll(async () => {
    deployment = await createDeployment('parley-scale');
    a = await deployment.startApi();
    b = await deployment.startApi();
    alice = await signUp(a, 'Alice');
    bob = await signUp(b, 'Bob');
    conversationId = await openDirect(a, alice, bob);
    const added = await gql(
      a,
      'mutation ($input: AddContactInput!) { addContact(input: $input) { nickname } }',
      { input: { email: bob.email } },
      alice.token,
    );
    expect(added.errors).toBeUndefined();
  });

  afterAll(async () => {
    await Promise.all(clients.map((created) => created.dispose()));
    await deployment?.dispose();
  });

  it('delivers a message sent through one instance to a subscriber on the other, in order', async () => {
    const events = await liveEvents(b, a);
    const sent: Sent[] = [];
    for (let index = 0; index < 20; index += 1) sent.push(await send(a, `cross ${index}`));
    const received = [];
    while (received.length < sent.length) {
      const event = await events.next();
      if (event.conversationEvents.message) received.push(event.conversationEvents.message);
    }
    expect(received.map((message) => message.id)).toEqual(sent.map((message) => message.id));
    events.stop();
  });

  it('resumes gaplessly on the other instance with afterSeq, then continues live', async () => {
    const first = await liveEvents(b, a);
    const seen = await send(a, 'seen on B');
    await first.skipUntil((event) => event.conversationEvents.message?.id === seen.id);
    first.stop();

    const missed = [];
    for (let index = 0; index < 10; index += 1) missed.push(await send(b, `missed ${index}`));
    const resumed = feed<EventPayload>(client(a, bob), EVENTS, {
      id: conversationId,
      after: seen.seq,
    });
    const replayed = [];
    while (replayed.length < missed.length) {
      const message = (await resumed.next()).conversationEvents.message;
      if (message) replayed.push(message);
    }
    expect(replayed.map((message) => message.seq)).toEqual(missed.map((message) => message.seq));
    const live = await send(b, 'live after resume');
    const next = await resumed.next();
    expect(next.conversationEvents.message?.id).toBe(live.id);
    resumed.stop();
  });

  it('shows typing across instances', async () => {
    const events = await liveEvents(b, a);
    const typed = await gql(
      a,
      'mutation ($id: ID!) { setTyping(conversationId: $id, typing: true) }',
      { id: conversationId },
      alice.token,
    );
    expect(typed.errors).toBeUndefined();
    const event = await events.skipUntil(
      (e) => e.conversationEvents.__typename === 'TypingChanged',
    );
    expect(event.conversationEvents).toMatchObject({ user: { id: alice.id }, typing: true });
    events.stop();
  });

  it('shows presence across instances: online while a socket is open on either', async () => {
    const inbox = feed<InboxPayload>(client(a, alice), INBOX, {});
    // Live once a message's ConversationActivity (sent through B) reaches it on A.
    await inbox.untilLive(() => send(b, 'presence probe'));
    const presenceOf = (user: ClusterUser) => (event: InboxPayload) =>
      event.inbox.__typename === 'PresenceChanged' && event.inbox.user?.id === user.id;
    // Bob's sockets from the earlier tests may still be closing: wait until he is offline.
    if (await bobOnline()) {
      await inbox.skipUntil((event) => presenceOf(bob)(event) && event.inbox.online === false);
    }
    const bobSocket = client(b, bob);
    const bobInbox = feed<InboxPayload>(bobSocket, INBOX, {});
    // A late offline event of an earlier socket may still come first: skip to the change.
    await inbox.skipUntil((event) => presenceOf(bob)(event) && event.inbox.online === true);
    expect(await bobOnline()).toBe(true);
    bobInbox.stop();
    await bobSocket.dispose();
    await inbox.skipUntil((event) => presenceOf(bob)(event) && event.inbox.online === false);
    expect(await bobOnline()).toBe(false);
    inbox.stop();
  });

  it('persists every message to MongoDB shortly after it was sent', async () => {
    const sent: Sent[] = [];
    for (let index = 0; index < 30; index += 1)
      sent.push(await send(index % 2 ? a : b, `p ${index}`));
    const lags: number[] = [];
    const started = Date.now();
    const stored = await storedMessages(deployment.mongoUrl, conversationId, (messages) => {
      const ids = new Set(messages.map((message) => message.id));
      if (lags.length === 0 && sent.every((message) => ids.has(message.id))) {
        lags.push(Date.now() - started);
      }
      return lags.length > 0;
    });
    const byId = new Map(stored.map((message) => [message.id, message]));
    for (const message of sent) expect(byId.get(message.id)?.seq).toBe(message.seq);
    console.log(
      `[scale-out] 30 messages via two instances: all in MongoDB ${lags[0]} ms after the last ack`,
    );
  });
});
