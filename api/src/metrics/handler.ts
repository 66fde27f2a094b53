import type { Registry } from 'prom-client';

/** A fetch-style handler for `GET /metrics` in the Prometheus text format. */
export function createMetricsHandler(registry: Registry): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
    }
    const body = await registry.metrics();
    return new Response(request.method === 'HEAD' ? null : body, {
      headers: { 'content-type': registry.contentType },
    });
  };
}
