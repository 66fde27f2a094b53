import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createGraphQLError, type YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Services } from '../services/index.ts';
import type { Logger } from '../services/logger.ts';
import { bearerToken, type Viewer } from '../services/tokens.ts';
import { type Context, clientAddress, type ServerContext, type SocketIdentity } from './context.ts';

/** What the WebSocket endpoint needs. */
export interface WebSocketOptions {
  readonly httpServer: HttpServer;
  readonly yoga: YogaServerInstance<ServerContext, Context>;
  readonly services: Services;
  readonly logger: Logger;
  readonly path: string;
  readonly maxPayloadBytes: number;
  readonly keepAliveMs: number;
  readonly trustProxy: boolean;
  readonly now: () => Date;
}

/** The running graphql-ws endpoint. */
export interface WebSocketEndpoint {
  /** Open sockets right now. */
  readonly connections: number;
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  close(): Promise<void>;
}

/** Per-socket state kept in graphql-ws's `extra`. */
type SocketState = {
  /** Null for an anonymous socket. */
  identity: SocketIdentity | null;
  connectionId: string;
};

type Enveloped = ReturnType<YogaServerInstance<ServerContext, Context>['getEnveloped']>;

/**
 * graphql-ws on the HTTP server's port. A token in `connectionParams.authorization` is
 * verified at `connection_init`: a bad or expired one closes the socket with 4403; a socket
 * without one stays anonymous (GraphiQL sends its header editor per operation, in
 * `extensions.headers`). Operations run through yoga's envelop, so they share the HTTP
 * context factory, limits and error masking.
 */
export function attachWebSocket(options: WebSocketOptions): WebSocketEndpoint {
  const { yoga, services, logger } = options;
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.maxPayloadBytes,
  });
  // graphql-ws hands our onSubscribe result to execute/subscribe as-is: remember its envelope.
  const envelopes = new WeakMap<ExecutionArgs, Enveloped>();
  const envelopeOf = (args: ExecutionArgs): Enveloped => {
    const enveloped = envelopes.get(args);
    if (!enveloped) throw new Error('operation was not prepared by onSubscribe');
    return enveloped;
  };

  const disposable = useServer<Record<string, unknown> | undefined, SocketState>(
    {
      onConnect: async (ctx) => {
        const token = bearerToken(authorizationOf(ctx.connectionParams));
        const address = clientAddress(ctx.extra.request, options.trustProxy);
        ctx.extra.connectionId = randomUUID();
        if (token === null) {
          ctx.extra.identity = null;
          return true;
        }
        const viewer = services.auth.verifyAccessToken(token);
        if (!viewer) return false; // graphql-ws closes with 4403 Forbidden
        ctx.extra.identity = { viewer, clientAddress: address };
        await services.presence.connected(viewer.userId, ctx.extra.connectionId);
        return true;
      },
      onDisconnect: (ctx) => {
        const { identity, connectionId } = ctx.extra;
        if (identity && connectionId) {
          services.presence.disconnected(identity.viewer.userId, connectionId);
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const socketViewer = ctx.extra.identity?.viewer ?? null;
        if (socketViewer && socketViewer.expiresAt <= options.now()) {
          // The token outlived its socket: the client refreshes and reconnects with afterSeq.
          ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden: access token expired');
          return [unauthenticatedError('Access token expired')];
        }
        let viewer: Viewer | null = socketViewer;
        if (!viewer) {
          const token = bearerToken(authorizationOf(headersOf(payload.extensions)));
          viewer = token ? services.auth.verifyAccessToken(token) : null;
          if (token && !viewer) return [unauthenticatedError('Access token is invalid or expired')];
        }
        const enveloped = yoga.getEnveloped({
          req: ctx.extra.request,
          socket: { viewer, clientAddress: clientAddress(ctx.extra.request, options.trustProxy) },
          params: payload,
        });
        let document: ExecutionArgs['document'];
        try {
          document = enveloped.parse(payload.query);
          // graphql-armor's limits throw from validate instead of returning their error.
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return errors;
        } catch (error) {
          if (isGraphQLError(error)) return [error];
          throw error;
        }
        const args: ExecutionArgs = {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
        };
        envelopes.set(args, enveloped);
        return args;
      },
      execute: (args) => envelopeOf(args).execute(args),
      subscribe: (args) => envelopeOf(args).subscribe(args),
    },
    wss,
    options.keepAliveMs,
  );

  wss.on('error', (error) => logger.error({ err: error }, 'websocket server error'));

  return {
    get connections() {
      return wss.clients.size;
    },
    async close() {
      for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Built by yoga's graphql copy, which is the one graphql-ws checks errors against. */
function unauthenticatedError(message: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

/** `authorization` from connection params or a headers object, in any letter case. */
function authorizationOf(record: Record<string, unknown> | null | undefined): string | null {
  if (!record) return null;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === 'authorization' && typeof value === 'string') return value;
  }
  return null;
}

function headersOf(
  extensions: Record<string, unknown> | null | undefined,
): Record<string, unknown> | null {
  const headers = extensions?.['headers'];
  return typeof headers === 'object' && headers !== null && !Array.isArray(headers)
    ? Object.fromEntries(Object.entries(headers))
    : null;
}
