import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { createMetricsHandler } from './handler.ts';

/** A yoga plugin answering `GET /metrics` from `registry` (add it to the server's plugins). */
export function useMetricsEndpoint(registry: Registry, path = '/metrics'): Plugin {
  const handle = createMetricsHandler(registry);
  return {
    async onRequest({ url, request, endResponse }) {
      if (url.pathname === path) endResponse(await handle(request));
    },
  };
}
