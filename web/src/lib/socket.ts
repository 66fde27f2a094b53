import { type Client, createClient } from 'graphql-ws';
import type { ConnectionStatus } from './connection-status.ts';
import type { Session } from './session.ts';

/** graphql-ws close code for a bad or expired access token (DESIGN.md §5). */
export const forbiddenCloseCode = 4403;
/** Ping this often; a pong that does not come back within `pongTimeoutMs` drops the socket. */
const keepAliveMs = 10_000;
const pongTimeoutMs = 5_000;

export interface SocketOptions {
  readonly url: string;
  readonly session: Session;
  readonly status: ConnectionStatus;
  /** The page's window; its online/offline events drive reconnects. */
  readonly window: Window;
}

export interface Socket {
  readonly client: Client;
  dispose(): void;
}

/**
 * The graphql-ws client behind urql's subscriptionExchange. It retries forever with
 * backoff, waits for the browser to be online before retrying, refreshes the access token
 * after a 4403 close, and reports its state for the banner.
 */
export function createSocket({ url, session, status, window }: SocketOptions): Socket {
  let mustRefresh = false;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  const client = createClient({
    url,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    // Every close is worth retrying: the token gets refreshed, the network comes back.
    shouldRetry: () => true,
    keepAlive: keepAliveMs,
    retryWait: async (retries) => {
      await onlineAgain(window);
      await delay(Math.min(250 * 2 ** retries, 8_000) + Math.random() * 250);
    },
    connectionParams: async () => {
      if (mustRefresh) {
        mustRefresh = false;
        await session.refresh();
      }
      const token = await session.ensureAccessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connecting: (isRetry) => {
        if (window.navigator.onLine) status.set(isRetry ? 'reconnecting' : 'connecting');
      },
      connected: () => status.set('connected'),
      closed: (event) => {
        clearTimeout(pongTimer);
        if (isCloseEvent(event) && event.code === forbiddenCloseCode) mustRefresh = true;
        status.set(window.navigator.onLine ? 'reconnecting' : 'offline');
      },
      ping: (received) => {
        // A ping we sent: the server must answer, or the socket is dead without a close.
        if (!received) pongTimer = setTimeout(() => client.terminate(), pongTimeoutMs);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  // Browsers keep an open WebSocket "up" for a while after the network goes away, so drop
  // it at once and resume (with afterSeq) when the network returns.
  const goOffline = () => {
    status.set('offline');
    client.terminate();
  };
  window.addEventListener('offline', goOffline);
  if (!window.navigator.onLine) status.set('offline');

  return {
    client,
    dispose() {
      window.removeEventListener('offline', goOffline);
      clearTimeout(pongTimer);
      // dispose() waits for a pending connect, which rejects if that connect fails: the
      // socket is being thrown away either way, so that is only worth a note.
      Promise.resolve(client.dispose()).catch((error: unknown) => {
        console.warn('closing the GraphQL socket failed', error);
      });
    },
  };
}

function onlineAgain(window: Window): Promise<void> {
  if (window.navigator.onLine) return Promise.resolve();
  return new Promise((resolve) =>
    window.addEventListener('online', () => resolve(), { once: true }),
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isCloseEvent(value: unknown): value is { code: number } {
  return typeof value === 'object' && value !== null && 'code' in value;
}
