import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useMetricsEndpoint } from '../metrics/plugin.ts';
import { isExpectedError, maskDomainErrors } from '../schema/errors.ts';
import { schema } from '../schema/index.ts';
import { type Composition, type CompositionOptions, compose } from './compose.ts';
import type { Config } from './config.ts';
import { type Context, createContext, type ServerContext } from './context.ts';
import { corsWithoutCredentials, createRefreshCookies } from './cookies.ts';
import { documentLimitPlugins, useRequestSizeLimit } from './limits.ts';
import { createLogger, type Logger } from './logger.ts';
import { useRoutes } from './routes.ts';
import { attachWebSocket, type WebSocketEndpoint } from './ws.ts';

const GRAPHQL_PATH = '/graphql';
/** The web build served at `/` when no WEB_DIST_DIR is configured. */
const DEFAULT_WEB_DIST = join(import.meta.dirname, '..', '..', '..', 'web', 'dist');

/** The app: yoga for `fetch` in tests, plus `start`/`stop` of the HTTP and WebSocket server. */
export interface App {
  readonly yoga: YogaServerInstance<ServerContext, Context>;
  readonly core: Composition;
  /** Listens on config.http (port 0 picks a free one); resolves with the bound address. */
  start(): Promise<{ readonly port: number; readonly url: string }>;
  /**
   * Graceful shutdown: stop accepting, close sockets with 1001, drain HTTP, flush the log into
   * the store, close every adapter. Safe to call more than once.
   */
  stop(): Promise<void>;
}

/** Options for tests and embedding; production passes none. */
export interface AppOptions extends CompositionOptions {
  readonly logger?: Logger;
}

/** Builds the app from config: composition root, yoga, and (on start) HTTP + graphql-ws. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config);
  const core = await compose(config, logger, options);
  const { services, adapters } = core;
  const webDistDir =
    config.http.webDistDir ?? (existsSync(DEFAULT_WEB_DIST) ? DEFAULT_WEB_DIST : null);

  const refreshCookies = createRefreshCookies({
    path: GRAPHQL_PATH,
    maxAgeSeconds: config.auth.refreshTokenTtlSeconds,
    alwaysSecure: config.env === 'production',
    trustProxy: config.http.trustProxy,
  });
  const contextOptions = { trustProxy: config.http.trustProxy, refreshCookies };

  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: (initial) => createContext(services, contextOptions, initial),
    cors: corsWithoutCredentials,
    maskedErrors: { maskError: maskDomainErrors },
    graphiql: { subscriptionsProtocol: 'WS', title: 'Parley GraphiQL' },
    landingPage: false,
    logging: yogaLogger(logger),
    plugins: [
      useRoutes({
        graphqlEndpoint: GRAPHQL_PATH,
        webDistDir,
        ready: () => adapters.store.ping(),
      }),
      useMetricsEndpoint(core.metrics.registry),
      useRequestSizeLimit(config.limits.requestMaxBytes),
      ...documentLimitPlugins(config.limits),
      refreshCookies.plugin,
    ],
  });

  let httpServer: Server | null = null;
  let ws: WebSocketEndpoint | null = null;
  let stopping: Promise<void> | null = null;

  async function shutdown(): Promise<void> {
    const server = httpServer;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await ws?.close();
      server.closeIdleConnections();
      // Streams (SSE) and slow requests get a bounded grace period.
      const timer = setTimeout(() => server.closeAllConnections(), config.http.shutdownTimeoutMs);
      await closed;
      clearTimeout(timer);
    }
    await yoga.dispose();
    await core.close();
    logger.info({}, 'stopped');
  }

  return {
    yoga,
    core,
    async start() {
      if (httpServer) throw new Error('app is already started');
      const server = createServer(yoga);
      httpServer = server;
      ws = attachWebSocket({
        httpServer: server,
        yoga,
        services,
        logger,
        path: GRAPHQL_PATH,
        maxPayloadBytes: config.limits.wsMaxPayloadBytes,
        keepAliveMs: config.limits.wsKeepAliveMs,
        trustProxy: config.http.trustProxy,
        now: () => adapters.clock.now(),
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.http.port, config.http.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const { port } = server.address() as AddressInfo;
      const host =
        config.http.host === '0.0.0.0' || config.http.host === '::'
          ? 'localhost'
          : config.http.host;
      const url = `http://${host}:${port}`;
      logger.info({ url: `${url}${GRAPHQL_PATH}`, dataDir: config.dataDir }, 'listening');
      return { port, url };
    },
    stop() {
      stopping ??= shutdown();
      return stopping;
    },
  };
}

/** Routes yoga's own logging into pino; expected (domain) errors are not errors to operators. */
function yogaLogger(logger: Logger) {
  return {
    debug: (...args: unknown[]) => logger.debug({ args }, 'yoga'),
    info: (...args: unknown[]) => logger.info({ args }, 'yoga'),
    warn: (...args: unknown[]) => logger.warn({ args }, 'yoga'),
    error: (...args: unknown[]) => {
      if (isExpectedError(args[0])) logger.debug({ err: args[0] }, 'expected error');
      else logger.error({ err: args[0], args: args.slice(1) }, 'yoga');
    },
  };
}
