import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { Plugin } from 'graphql-yoga';
import type { Config } from './config.ts';

/**
 * Document limits (graphql-armor): depth, aliases, tokens and cost, checked at parse and
 * validation, so they apply to HTTP and WebSocket operations alike.
 */
export function documentLimitPlugins(limits: Config['limits']): Plugin[] {
  return [
    maxDepthPlugin({ n: limits.maxDepth }),
    maxAliasesPlugin({ n: limits.maxAliases }),
    maxTokensPlugin({ n: limits.maxTokens }),
    costLimitPlugin({ maxCost: limits.maxCost }),
  ];
}

/**
 * Rejects HTTP requests whose body is larger than `maxBytes` with 413, before yoga parses
 * them. A declared Content-Length is trusted (Node enforces the framing); a body without one
 * is counted as it streams, and only up to the limit.
 */
export function useRequestSizeLimit(maxBytes: number): Plugin {
  return {
    async onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const declared = request.headers.get('content-length');
      const tooLarge =
        declared !== null ? Number(declared) > maxBytes : await exceeds(request.clone(), maxBytes);
      if (!tooLarge) return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            errors: [
              {
                message: `Request body is larger than ${maxBytes} bytes`,
                extensions: { code: 'BAD_USER_INPUT' },
              },
            ],
          }),
          { status: 413, headers: { 'content-type': 'application/json' } },
        ),
      );
    },
  };
}

async function exceeds(request: Request, maxBytes: number): Promise<boolean> {
  if (!request.body) return false;
  const reader = request.body.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return false;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return true;
    }
  }
}
