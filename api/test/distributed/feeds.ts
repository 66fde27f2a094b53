import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from 'graphql-ws';
import { createConnection } from 'mongoose';

/** A subscription as a queue of its `data` payloads; an error result fails `next()`. */
export interface Feed<T> {
  next(): Promise<T>;
  /** Takes payloads until one matches, and returns it. */
  skipUntil(match: (payload: T) => boolean): Promise<T>;
  /**
   * A subscription cannot say when it is live on the server: this pokes (causes an event)
   * until the first payload arrives. Later pokes' payloads stay queued.
   */
  untilLive(poke: () => Promise<unknown>): Promise<T>;
  /** Settles when the server completes or errors the operation. */
  readonly ended: Promise<{ readonly error: unknown }>;
  stop(): void;
}

export function feed<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): Feed<T> {
  const queue: T[] = [];
  const waiters: { resolve: (value: T) => void; reject: (error: unknown) => void }[] = [];
  let failure: unknown = null;
  const { promise: ended, resolve: end } = Promise.withResolvers<{ error: unknown }>();
  const fail = (error: unknown) => {
    failure = error;
    for (const waiter of waiters.splice(0)) waiter.reject(error);
    end({ error });
  };
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors || !result.data) {
          fail(new Error(`subscription error: ${JSON.stringify(result.errors)}`));
          return;
        }
        const waiter = waiters.shift();
        if (waiter) waiter.resolve(result.data);
        else queue.push(result.data);
      },
      error: (error) => fail(error),
      complete: () => {
        if (failure === null) fail(new Error('subscription completed'));
      },
    },
  );
  const next = (): Promise<T> => {
    const queued = queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (failure !== null) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => waiters.push({ resolve, reject }));
  };
  return {
    next,
    async skipUntil(match) {
      for (;;) {
        const payload = await next();
        if (match(payload)) return payload;
      }
    },
    async untilLive(poke) {
      const first = next();
      let arrived = false;
      first.then(
        () => {
          arrived = true;
        },
        () => {
          arrived = true;
        },
      );
      while (!arrived) {
        await poke();
        await Promise.race([first.catch(() => undefined), delay(50)]);
      }
      return first;
    },
    ended,
    stop,
  };
}

/** A stored message as read back from MongoDB. */
export interface StoredMessage {
  readonly id: string;
  readonly seq: number;
  readonly body: string;
  readonly clientId: string | null;
}

/**
 * Reads a conversation's messages straight from MongoDB until `done(messages)` holds, and
 * returns them (ascending by seq). The store has no change feed here (FerretDB lacks change
 * streams), so this re-reads every 100 ms up to `timeoutMs`.
 */
export async function storedMessages(
  mongoUrl: string,
  conversationId: string,
  done: (messages: readonly StoredMessage[]) => boolean,
  timeoutMs = 120_000,
): Promise<StoredMessage[]> {
  const connection = await createConnection(mongoUrl).asPromise();
  try {
    const collection = connection.collection<{
      _id: string;
      seq: number;
      body: string;
      clientId: string | null;
    }>('messages');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const docs = await collection.find({ conversationId }).sort({ seq: 1 }).toArray();
      const messages = docs.map((doc) => ({
        id: doc._id,
        seq: doc.seq,
        body: doc.body,
        clientId: doc.clientId ?? null,
      }));
      if (done(messages)) return messages;
      if (Date.now() > deadline) {
        throw new Error(
          `MongoDB still lacks messages after ${timeoutMs} ms (${messages.length} stored)`,
        );
      }
      await delay(100);
    }
  } finally {
    await connection.close();
  }
}
