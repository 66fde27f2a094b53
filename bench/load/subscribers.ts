import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CONVERSATION_EVENTS } from './documents.ts';
import type { BenchConversation } from './fixtures.ts';
import { mapConcurrent } from './pool.ts';

/** Called for every MessageAdded a subscriber receives, with the receive time. */
export type DeliveryListener = (clientId: string, receivedAt: number) => void;

/** Live `conversationEvents` subscriptions, one graphql-ws client (socket) each. */
export interface SubscriberSet {
  readonly count: number;
  /** Subscription errors and unexpected socket closes so far. */
  readonly errors: number;
  /** The first few error messages, for the report. */
  readonly errorSamples: readonly string[];
  close(): Promise<void>;
}

interface MessageAddedPayload {
  readonly data?: {
    readonly conversationEvents?: {
      readonly __typename?: string;
      readonly message?: { readonly clientId?: string | null };
    };
  } | null;
  readonly errors?: readonly { readonly message: string }[];
}

export interface SubscribeOptions {
  /** WebSocket URLs of the API instances; subscribers are spread over them in turn. */
  readonly wsUrls: readonly string[];
  readonly conversations: readonly BenchConversation[];
  /** How many members of each conversation subscribe (from the first). */
  readonly perConversation: number;
  readonly onDelivery: DeliveryListener;
}

/** A graphql-ws client for one user, the way the web app connects (token in connectionParams). */
export function connectClient(wsUrl: string, token: string, onClosed: (code: number) => void) {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: { authorization: `Bearer ${token}` },
    on: {
      closed: (event) => {
        const code = (event as { code?: number } | undefined)?.code ?? 0;
        onClosed(code);
      },
    },
  });
  return client;
}

/** Waits for a client's `connection_ack` (or fails on its first close or error). */
export function acknowledged(client: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    const offs = [
      client.on('connected', () => {
        for (const off of offs) off();
        resolve();
      }),
      client.on('closed', (event) => {
        for (const off of offs) off();
        reject(new Error(`socket closed before ack: ${(event as { code?: number }).code}`));
      }),
      client.on('error', (error) => {
        for (const off of offs) off();
        reject(error instanceof Error ? error : new Error(String(error)));
      }),
    ];
  });
}

/** Opens every subscription and waits until each socket is acknowledged. */
export async function openSubscribers(options: SubscribeOptions): Promise<SubscriberSet> {
  let errors = 0;
  let closing = false;
  const errorSamples: string[] = [];
  const fail = (message: string) => {
    errors += 1;
    if (errorSamples.length < 5) errorSamples.push(message);
  };
  const targets = options.conversations.flatMap((conversation) =>
    conversation.members.slice(0, options.perConversation).map((member) => ({
      conversation,
      member,
    })),
  );
  const clients: Client[] = [];
  await mapConcurrent(targets, 50, async ({ conversation, member }, index) => {
    const wsUrl = options.wsUrls[index % options.wsUrls.length] ?? '';
    const client = connectClient(wsUrl, member.token, (code) => {
      if (!closing) fail(`socket closed with ${code}`);
    });
    clients.push(client);
    await acknowledged(client);
    client.subscribe<MessageAddedPayload['data']>(
      { query: CONVERSATION_EVENTS, variables: { conversationId: conversation.id } },
      {
        next: (result: MessageAddedPayload) => {
          const receivedAt = performance.now();
          if (result.errors?.length) {
            fail(result.errors[0]?.message ?? 'subscription error');
            return;
          }
          const clientId = result.data?.conversationEvents?.message?.clientId;
          if (result.data?.conversationEvents?.__typename === 'MessageAdded' && clientId) {
            options.onDelivery(clientId, receivedAt);
          }
        },
        error: (error: unknown) => {
          if (!closing) fail(error instanceof Error ? error.message : JSON.stringify(error));
        },
        complete: () => {
          if (!closing) fail('subscription completed by the server');
        },
      },
    );
  });
  return {
    count: targets.length,
    get errors() {
      return errors;
    },
    errorSamples,
    async close() {
      closing = true;
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}
