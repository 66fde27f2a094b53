import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, print } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { type GraphQLErrorShape, isUnauthenticated, ParleyError } from './errors.ts';
import { createEventQueue } from './event-queue.ts';
import { ConversationEventsDocument, type ConversationEventsSubscription } from './gql/graphql.ts';
import { advanceAfterSeq, type ResumableVariables } from './resume.ts';

/** graphql-ws close code for a bad or expired access token. */
const forbiddenCloseCode = 4403;

export interface ParleyClientOptions {
  /** The HTTP endpoint, e.g. `http://localhost:4000/graphql`. */
  readonly url: string;
  /** The WebSocket endpoint; defaults to `url` with `ws:`/`wss:`. */
  readonly wsUrl?: string;
  /** The current access token, or null before logging in. Called for every request and connect. */
  readonly getAccessToken: () => string | null | Promise<string | null>;
  /**
   * Gets a fresh access token (for example with `refreshSession`), so that the next
   * `getAccessToken()` returns it. Called after `UNAUTHENTICATED` or a 4403 close; a throw
   * fails the request, or ends the subscriptions.
   */
  readonly refresh: () => Promise<void>;
  /** Wait before reconnect attempt `retries` (0-based). Default: capped exponential backoff. */
  readonly retryWait?: (retries: number) => Promise<void>;
}

/** One `conversationEvents` event. */
export type ConversationEvent = ConversationEventsSubscription['conversationEvents'];

export interface ConversationEventsOptions {
  /** Replay every message with a greater seq first. Omit to receive live events only. */
  readonly afterSeq?: number;
}

/** Variables argument: omitted when an operation takes none. */
type VariablesArgs<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

export interface ParleyClient {
  /** Runs a query or mutation over HTTP; throws `ParleyError` on GraphQL errors. */
  request<R, V>(document: TypedDocumentNode<R, V>, ...args: VariablesArgs<V>): Promise<R>;
  /** Any subscription over the WebSocket, as an async iterator (break to unsubscribe). */
  subscribe<R, V>(
    document: TypedDocumentNode<R, V>,
    ...args: VariablesArgs<V>
  ): AsyncIterableIterator<R>;
  /**
   * A conversation's events. After any reconnect it resumes after the last seq it saw, so
   * no message is missed or repeated; a `ResyncRequired` event means too much was missed
   * to replay (reload history, then keep reading).
   */
  conversationEvents(
    conversationId: string,
    options?: ConversationEventsOptions,
  ): AsyncIterableIterator<ConversationEvent>;
  /** The underlying graphql-ws client, for connection events (`on('connected', …)`). */
  readonly socket: WsClient;
  /** Closes the WebSocket and ends every subscription. */
  close(): Promise<void>;
}

/** Creates a client. No connection is opened until the first subscription. */
export function createParleyClient(options: ParleyClientOptions): ParleyClient {
  const { url, getAccessToken, refresh } = options;
  let mustRefresh = false;

  const post = async (query: string, variables: unknown) => {
    const token = await getAccessToken();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as { data?: unknown; errors?: GraphQLErrorShape[] };
    } catch {
      throw new Error(`HTTP ${response.status} from ${url}: ${text.slice(0, 200)}`);
    }
  };

  const socket = createClient({
    url: options.wsUrl ?? url.replace(/^http/, 'ws'),
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    // Every close is worth retrying (a refreshed token, a restarted server); a failing
    // refresh ends the subscriptions instead, through connectionParams throwing.
    shouldRetry: () => true,
    retryWait: options.retryWait ?? backoff,
    connectionParams: async () => {
      if (mustRefresh) {
        mustRefresh = false;
        await refresh();
      }
      const token = await getAccessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      closed: (event) => {
        if (hasCode(event) && event.code === forbiddenCloseCode) mustRefresh = true;
      },
    },
  });

  const subscribeWith = <R>(query: string, variables: ResumableVariables) => {
    const payload = { query, variables };
    const queue = createEventQueue<R>(() => unsubscribe());
    const unsubscribe = socket.subscribe(payload, {
      next: ({ data, errors }) => {
        if (errors?.length) {
          queue.fail(new ParleyError(errors));
          unsubscribe();
          return;
        }
        advanceAfterSeq(variables, data);
        if (data) queue.push(data as R);
      },
      error: (error) => queue.fail(toError(error)),
      complete: () => queue.end(),
    });
    return queue.iterator;
  };

  const client: ParleyClient = {
    socket,
    async request<R, V>(document: TypedDocumentNode<R, V>, ...args: VariablesArgs<V>) {
      const query = printed(document);
      let body = await post(query, args[0] ?? {});
      if (body.errors && isUnauthenticated(body.errors)) {
        await refresh();
        body = await post(query, args[0] ?? {});
      }
      if (body.errors?.length) throw new ParleyError(body.errors);
      if (body.data == null) throw new Error('GraphQL response without data');
      return body.data as R;
    },
    subscribe<R, V>(document: TypedDocumentNode<R, V>, ...args: VariablesArgs<V>) {
      return subscribeWith<R>(printed(document), { ...(args[0] ?? {}) });
    },
    conversationEvents(conversationId, { afterSeq } = {}) {
      const variables: ResumableVariables = { conversationId };
      if (afterSeq !== undefined) variables['afterSeq'] = afterSeq;
      const events = subscribeWith<ConversationEventsSubscription>(
        printed(ConversationEventsDocument),
        variables,
      );
      return mapIterator(events, (data) => data.conversationEvents);
    },
    async close() {
      await socket.dispose();
    },
  };
  return client;
}

const printedDocuments = new WeakMap<object, string>();

/** The document as query text, printed once per document. */
function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) {
    text = print(document);
    printedDocuments.set(document, text);
  }
  return text;
}

function mapIterator<T, U>(
  source: AsyncIterableIterator<T>,
  map: (value: T) => U,
): AsyncIterableIterator<U> {
  const mapped: AsyncIterableIterator<U> = {
    async next() {
      const result = await source.next();
      return result.done ? result : { value: map(result.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}

async function backoff(retries: number): Promise<void> {
  const ms = Math.min(250 * 2 ** retries, 10_000) + Math.random() * 250;
  await new Promise((resolve) => setTimeout(resolve, ms));
}

function hasCode(value: unknown): value is { code: number; reason?: string } {
  return typeof value === 'object' && value !== null && 'code' in value;
}

function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (Array.isArray(error)) return new ParleyError(error as GraphQLErrorShape[]);
  if (hasCode(error)) {
    return new Error(`WebSocket closed: ${error.code} ${error.reason ?? ''}`.trim());
  }
  return new Error(String(error));
}
