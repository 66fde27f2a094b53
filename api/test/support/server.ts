/**
 * Self-disposing test servers for the API: the real app on embedded adapters in a temp
 * DATA_DIR, reachable through `yoga.fetch` and a real graphql-ws client on a free port.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../src/app/config.ts';
import { type App, createApp } from '../../src/app/server.ts';
import type { Clock } from '../../src/ports/clock.ts';

/** The JWT secret every test server uses, so tests can mint their own (expired) tokens. */
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** A wall clock that tests can move forward (timers keep running in real time). */
export class TestClock implements Clock {
  #offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}

/** One GraphQL response as JSON. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly data?: T | null;
  readonly errors?: readonly {
    readonly message: string;
    readonly path?: readonly (string | number)[];
    readonly extensions?: Record<string, unknown>;
  }[];
}

export interface TestServerOptions {
  /** Extra environment for `loadConfig` (test defaults apply underneath). */
  readonly env?: Record<string, string>;
  /** Reuse a data directory (restart tests); it is then not deleted on close. */
  readonly dataDir?: string;
  readonly clock?: TestClock;
}

/** A running app plus helpers; `close()` (or `await using`) disposes of everything. */
export interface TestServer extends AsyncDisposable {
  readonly app: App;
  readonly clock: TestClock;
  readonly dataDir: string;
  readonly url: string;
  readonly wsUrl: string;
  /** Runs an operation through `yoga.fetch` (no socket), optionally as a user. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  /** A graphql-ws client on the real port, closed with the server. */
  wsClient(authorization?: string | null): Client;
  close(): Promise<void>;
}

const testEnv: Record<string, string> = {
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  JWT_SECRET: TEST_JWT_SECRET,
  // OWASP cost in production; the lowest allowed here so sign-ups take microseconds.
  PASSWORD_SCRYPT_LOG2N: '10',
  RATE_LIMIT_SEND_MESSAGE: '100000/1s',
  RATE_LIMIT_SIGN_UP: '100000/1s',
  RATE_LIMIT_LOG_IN: '100000/1s',
  PRESENCE_GRACE_MS: '0',
  SHUTDOWN_TIMEOUT_MS: '2000',
};

/** Starts the real app on a free port. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-api-test-')));
  const clock = options.clock ?? new TestClock();
  const config = loadConfig({ ...testEnv, ...options.env, DATA_DIR: dataDir }, dataDir);
  const app = await createApp(config, { clock });
  const { url } = await app.start();
  const wsUrl = `${url.replace(/^http/, 'ws')}/graphql`;
  const clients = new Set<Client>();
  let closed: Promise<void> | null = null;

  const close = () => {
    closed ??= (async () => {
      await Promise.all([...clients].map((client) => client.dispose()));
      await app.stop();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    })();
    return closed;
  };

  return {
    app,
    clock,
    dataDir,
    url,
    wsUrl,
    async gql<T>(query: string, variables?: Record<string, unknown>, token?: string) {
      const response = await app.yoga.fetch('http://parley.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<T>;
    },
    wsClient(authorization) {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        connectionParams: authorization ? { authorization } : {},
      });
      clients.add(client);
      return client;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A signed-up user with fresh tokens. */
export interface TestUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** Signs up a new user with a unique email. */
export async function signUp(server: TestServer, name = 'User'): Promise<TestUser> {
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID()}@example.test`;
  const result = await server.gql<{
    signUp: { accessToken: string; refreshToken: string; user: { id: string } };
  }>(
    `mutation ($input: SignUpInput!) {
      signUp(input: $input) { accessToken refreshToken user { id } }
    }`,
    { input: { email, password: 'correct horse battery', name } },
  );
  const payload = result.data?.signUp;
  if (!payload) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
  return {
    id: payload.user.id,
    name,
    email,
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
  };
}

/** Opens (or finds) the direct conversation of two users; returns its id. */
export async function openDirect(server: TestServer, a: TestUser, b: TestUser): Promise<string> {
  const result = await server.gql<{ openDirectConversation: { id: string } }>(
    'mutation ($userId: ID!) { openDirectConversation(userId: $userId) { id } }',
    { userId: b.id },
    a.accessToken,
  );
  const id = result.data?.openDirectConversation.id;
  if (!id) throw new Error(`openDirectConversation failed: ${JSON.stringify(result.errors)}`);
  return id;
}

/** A sent message as the tests select it. */
export interface SentMessage {
  readonly id: string;
  readonly seq: number;
  readonly body: string;
  readonly clientId: string | null;
}

export const MESSAGE_FIELDS = 'id seq body clientId';

/** Sends a message (a fresh clientId unless given) and returns it, failing on errors. */
export async function sendMessage(
  server: TestServer,
  user: TestUser,
  conversationId: string,
  body: string,
  clientId: string = randomUUID(),
): Promise<SentMessage> {
  const result = await server.gql<{ sendMessage: SentMessage }>(
    `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { ${MESSAGE_FIELDS} } }`,
    { input: { conversationId, body, clientId } },
    user.accessToken,
  );
  if (!result.data?.sendMessage) {
    throw new Error(`sendMessage failed: ${JSON.stringify(result.errors)}`);
  }
  return result.data.sendMessage;
}

/** The error codes of a response, in order. */
export function errorCodes(result: GraphQLResponse<unknown>): unknown[] {
  return (result.errors ?? []).map((error) => error.extensions?.['code']);
}

/**
 * A subscription as a queue: `next()` waits for the next result (no sleeps), and `ended`
 * settles when the server completes or errors the operation.
 */
export interface Subscription<T> {
  next(): Promise<T>;
  /** Results received but not yet taken with `next()`. */
  readonly buffered: number;
  readonly ended: Promise<{ readonly error: unknown }>;
  stop(): void;
}

/** Subscribes through a graphql-ws client. Payloads with `errors` are delivered as they are. */
export function subscribe<T = GraphQLResponse>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription<T> {
  const results: T[] = [];
  const waiters: ((value: T) => void)[] = [];
  let resolveEnded: (value: { error: unknown }) => void = () => {};
  const ended = new Promise<{ error: unknown }>((resolve) => {
    resolveEnded = resolve;
  });
  const stop = client.subscribe<Record<string, unknown>>(
    { query, variables },
    {
      next: (value) => {
        const result = value as T;
        const waiter = waiters.shift();
        if (waiter) waiter(result);
        else results.push(result);
      },
      error: (error) => resolveEnded({ error }),
      complete: () => resolveEnded({ error: null }),
    },
  );
  return {
    next() {
      const result = results.shift();
      if (result !== undefined) return Promise.resolve(result);
      return new Promise<T>((resolve) => waiters.push(resolve));
    },
    get buffered() {
      return results.length;
    },
    ended,
    stop,
  };
}

/** Opens a raw socket, sends `connection_init`, and resolves with the close code. */
export function connectRaw(
  wsUrl: string,
  connectionParams: Record<string, unknown>,
): Promise<{ code: number; acknowledged: boolean; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    let acknowledged = false;
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams }));
    });
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_ack') {
        acknowledged = true;
        resolve({ code: 0, acknowledged, socket });
      }
    });
    socket.on('close', (code) => resolve({ code, acknowledged, socket }));
    socket.on('error', reject);
  });
}

/**
 * A subscription cannot tell the client when it is live on the server. This pokes (causes an
 * event) until the first one arrives, and returns it; later pokes' events stay buffered.
 */
export async function untilLive<T>(
  subscription: Subscription<T>,
  poke: () => Promise<unknown>,
): Promise<T> {
  const first = subscription.next();
  let arrived = false;
  void first.then(() => {
    arrived = true;
  });
  while (!arrived) {
    await poke();
    // Let the poke's event travel over the socket before deciding to poke again.
    await Promise.race([first, new Promise((resolve) => setImmediate(resolve))]);
  }
  return first;
}
