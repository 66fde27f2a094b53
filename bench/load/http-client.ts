import { Agent, request } from 'node:http';

/** One GraphQL response. */
export interface GqlResponse<T> {
  readonly data?: T | null;
  readonly errors?: readonly {
    readonly message: string;
    readonly extensions?: { code?: unknown };
  }[];
}

/** A GraphQL-over-HTTP client on a keep-alive agent (the web app posts mutations the same way). */
export interface HttpGql {
  post<T>(
    query: string,
    variables: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResponse<T>>;
  close(): void;
}

/** A client for `${baseUrl}/graphql`; `maxSockets` bounds concurrent requests in flight. */
export function createHttpGql(baseUrl: string, maxSockets = 128): HttpGql {
  // Idle sockets close after 2 s, well before the server's keep-alive timeout (5 s): reusing
  // one the server is closing at that moment fails the request with ECONNRESET.
  const agent = new Agent({ keepAlive: true, maxSockets, timeout: 2_000 });
  const url = new URL('/graphql', baseUrl);
  return {
    post<T>(query: string, variables: Record<string, unknown>, token?: string) {
      const body = JSON.stringify({ query, variables });
      return new Promise<GqlResponse<T>>((resolve, reject) => {
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              accept: 'application/graphql-response+json, application/json',
              'content-length': Buffer.byteLength(body),
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              try {
                resolve(JSON.parse(text) as GqlResponse<T>);
              } catch {
                reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
              }
            });
            response.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** The first error code of a response (`HTTP`-level failures are thrown, not returned). */
export function errorCode(response: GqlResponse<unknown>): string | null {
  const first = response.errors?.[0];
  if (!first) return null;
  const code = first.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL';
}

/** The response's data, or an Error naming its GraphQL errors. */
export function dataOf<T>(response: GqlResponse<T>, what: string): T {
  if (response.data && !response.errors?.length) return response.data;
  throw new Error(`${what} failed: ${JSON.stringify(response.errors ?? 'no data')}`);
}
