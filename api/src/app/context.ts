import type { IncomingMessage } from 'node:http';
import { unauthenticated } from '../services/errors.ts';
import type { Services } from '../services/index.ts';
import { bearerToken, type Viewer } from '../services/tokens.ts';
import type { RefreshCookie, RefreshCookies } from './cookies.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** What every resolver receives, over HTTP and WebSocket alike. */
export interface Context {
  readonly services: Services;
  /** The caller, or null when no valid access token came with the request. */
  readonly viewer: Viewer | null;
  /** Whether a token was presented but rejected (forged, malformed or expired). */
  readonly tokenRejected: boolean;
  /** The client's address, for per-address rate limits. */
  readonly clientAddress: string;
  readonly loaders: Loaders;
  /** The request's refresh cookie (HTTP only; null over WebSocket, which cannot set cookies). */
  readonly refreshCookie: RefreshCookie | null;
}

/** A socket authenticated at `connection_init` (see `ws.ts`). */
export interface SocketIdentity {
  readonly viewer: Viewer;
  readonly clientAddress: string;
}

/** Who runs an operation that arrived over graphql-ws (viewer null: anonymous). */
export interface SocketCaller {
  readonly viewer: Viewer | null;
  readonly clientAddress: string;
}

/**
 * The server-side part of yoga's initial context: Node's request over HTTP, plus the caller
 * when the operation arrived over graphql-ws.
 */
export interface ServerContext {
  readonly req?: IncomingMessage;
  readonly socket?: SocketCaller;
}

/** The request bits `createContext` reads. */
export interface InitialContext extends ServerContext {
  readonly request?: Request;
}

/** How the server resolves identities and cookies; set from config. */
export interface ContextOptions {
  /** Take the client address from the first `X-Forwarded-For` hop (behind a proxy only). */
  readonly trustProxy: boolean;
  /** Reads and writes an HTTP request's refresh cookie. */
  readonly refreshCookies: RefreshCookies;
}

/** The one context factory, used by yoga for HTTP and through `getEnveloped` for graphql-ws. */
export function createContext(
  services: Services,
  options: ContextOptions,
  initial: InitialContext,
): Context {
  if (initial.socket) {
    return {
      services,
      viewer: initial.socket.viewer,
      tokenRejected: false,
      clientAddress: initial.socket.clientAddress,
      // A subscription's context lives as long as it does: batch, but never cache.
      loaders: createLoaders(services, false),
      refreshCookie: null,
    };
  }
  const request = initial.request;
  const headers = request?.headers;
  const token = bearerToken(headers?.get('authorization'));
  const viewer = token ? services.auth.verifyAccessToken(token) : null;
  // Server-sent events keep the context open like a socket does.
  const streaming = headers?.get('accept')?.includes('text/event-stream') ?? false;
  return {
    services,
    viewer,
    tokenRejected: token !== null && viewer === null,
    clientAddress: clientAddress(initial.req, options.trustProxy),
    loaders: createLoaders(services, !streaming),
    refreshCookie: request ? options.refreshCookies.forRequest(request) : null,
  };
}

/** The caller of an operation that needs one; UNAUTHENTICATED otherwise. */
export function requireViewer(context: Context): Viewer {
  if (context.viewer) return context.viewer;
  throw unauthenticated(
    context.tokenRejected ? 'Access token is invalid or expired' : 'Authentication required',
  );
}

/** The peer address of an HTTP request or WebSocket upgrade. */
export function clientAddress(req: IncomingMessage | undefined, trustProxy: boolean): string {
  if (!req) return 'unknown';
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
