/**
 * Helpers for the assistant's end-to-end tests: the real app wired to the Gemini fixture
 * through GEMINI_BASE_URL, and conversation event streams read until a reply settles.
 */
import { expect } from 'vitest';
import type { GeminiFixture } from '../support/gemini-fixture.ts';
import {
  type GraphQLResponse,
  type Subscription,
  sendMessage,
  startTestServer,
  subscribe,
  type TestServer,
  type TestUser,
} from '../support/server.ts';

/** A message as these tests select it. */
export interface SeenMessage {
  readonly id: string;
  readonly seq: number;
  readonly kind: 'USER' | 'ASSISTANT' | 'SYSTEM';
  readonly status: 'SENT' | 'STREAMING' | 'COMPLETE' | 'FAILED' | 'CANCELLED';
  readonly body: string;
  readonly error: string | null;
  readonly sender: { readonly id: string; readonly name: string } | null;
}

/** One message event of a conversation. */
export interface MessageEvent {
  readonly type: 'MessageAdded' | 'MessageUpdated';
  readonly message: SeenMessage;
}

export const MESSAGE = 'id seq kind status body error sender { id name }';

const EVENTS = `subscription ($id: ID!, $after: Int) {
  conversationEvents(conversationId: $id, afterSeq: $after) {
    __typename
    ... on MessageAdded { message { ${MESSAGE} } }
    ... on MessageUpdated { message { ${MESSAGE} } }
  }
}`;

type EventResult = GraphQLResponse<{
  conversationEvents: { __typename: string; message?: SeenMessage };
}>;

const FINAL = new Set(['COMPLETE', 'FAILED', 'CANCELLED']);

/** Starts the app with the assistant pointed at the fixture (model `primary`). */
export function startAssistantServer(
  fixture: GeminiFixture,
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<TestServer> {
  return startTestServer({
    ...(dataDir === undefined ? {} : { dataDir }),
    env: {
      GEMINI_API_KEY: fixture.apiKey,
      GEMINI_BASE_URL: fixture.baseUrl,
      GEMINI_MODEL: 'primary',
      ASSISTANT_UPDATE_INTERVAL_MS: '20',
      ...env,
    },
  });
}

/** A member's live view of a conversation's message events. */
export class Watcher {
  readonly #events: Subscription<EventResult>;

  constructor(events: Subscription<EventResult>) {
    this.#events = events;
  }

  /** The next message event (other event types are skipped). */
  async next(): Promise<MessageEvent> {
    while (true) {
      const result = await this.#events.next();
      expect(result.errors).toBeUndefined();
      const event = result.data?.conversationEvents;
      const type = event?.__typename;
      if ((type === 'MessageAdded' || type === 'MessageUpdated') && event?.message) {
        return { type, message: event.message };
      }
    }
  }

  /** Events up to and including the first one that matches. */
  async until(match: (event: MessageEvent) => boolean): Promise<MessageEvent[]> {
    const seen: MessageEvent[] = [];
    while (true) {
      const event = await this.next();
      seen.push(event);
      if (match(event)) return seen;
    }
  }

  /** Events up to and including the assistant reply's final state. */
  untilSettled(): Promise<MessageEvent[]> {
    return this.until(
      (event) => event.message.kind === 'ASSISTANT' && FINAL.has(event.message.status),
    );
  }
}

/**
 * Subscribes `user` to the conversation and resolves once the stream is live: it sends a
 * marker message and waits to see it, so nothing sent afterwards can be missed.
 */
export async function watch(
  server: TestServer,
  user: TestUser,
  conversationId: string,
): Promise<Watcher> {
  const marker = await sendMessage(server, user, conversationId, `${user.name} is watching`);
  const events = subscribe<EventResult>(server.wsClient(`Bearer ${user.accessToken}`), EVENTS, {
    id: conversationId,
    after: marker.seq - 1,
  });
  const watcher = new Watcher(events);
  await watcher.until((event) => event.message.id === marker.id);
  return watcher;
}

/** The conversation's history as stored (or cached), oldest first. */
export async function history(
  server: TestServer,
  user: TestUser,
  conversationId: string,
): Promise<SeenMessage[]> {
  const result = await server.gql<{
    conversation: { messages: { edges: { node: SeenMessage }[] } };
  }>(
    `query ($id: ID!) {
      conversation(id: $id) { messages(last: 30) { edges { node { ${MESSAGE} } } } }
    }`,
    { id: conversationId },
    user.accessToken,
  );
  expect(result.errors).toBeUndefined();
  return result.data?.conversation.messages.edges.map((edge) => edge.node) ?? [];
}

/** Calls `cancelAssistantReply` as `user`. */
export function cancelReply(
  server: TestServer,
  user: TestUser,
  messageId: string,
): Promise<GraphQLResponse<{ cancelAssistantReply: SeenMessage }>> {
  return server.gql(
    `mutation ($id: ID!) { cancelAssistantReply(messageId: $id) { ${MESSAGE} } }`,
    { id: messageId },
    user.accessToken,
  );
}

/** Asserts that each body strictly extends the one before (ordered, growing updates). */
export function expectGrowing(bodies: readonly string[]): void {
  for (let i = 1; i < bodies.length; i++) {
    const previous = bodies[i - 1] ?? '';
    const current = bodies[i] ?? '';
    expect(current.startsWith(previous), `"${current}" extends "${previous}"`).toBe(true);
    expect(current.length).toBeGreaterThan(previous.length);
  }
}
