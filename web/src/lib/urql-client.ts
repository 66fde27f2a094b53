import { authExchange } from '@urql/exchange-auth';
import { Client, fetchExchange, subscriptionExchange } from 'urql';
import { createCacheExchange } from './cache.ts';
import { advanceAfterSeq, type ResumableVariables } from './resume.ts';
import { expiresSoon, type Session } from './session.ts';
import type { Socket } from './socket.ts';

export interface UrqlClientOptions {
  /** The HTTP GraphQL endpoint (same origin in the app: `/graphql`). */
  readonly url: string;
  readonly session: Session;
  readonly socket: Socket;
}

/**
 * The app's urql client: one normalised cache, bearer auth with refresh on
 * `UNAUTHENTICATED`, queries and mutations over HTTP, subscriptions over graphql-ws.
 */
export function createUrqlClient({ url, session, socket }: UrqlClientOptions): Client {
  return new Client({
    url,
    requestPolicy: 'cache-and-network',
    exchanges: [
      createCacheExchange(),
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          const token = session.getAccessToken();
          return token
            ? utils.appendHeaders(operation, { authorization: `Bearer ${token}` })
            : operation;
        },
        willAuthError() {
          const token = session.getAccessToken();
          const signedIn = session.getState().status === 'signedIn';
          return signedIn && (!token || expiresSoon(token, Date.now()));
        },
        didAuthError(error) {
          return error.graphQLErrors.some((e) => e.extensions['code'] === 'UNAUTHENTICATED');
        },
        async refreshAuth() {
          await session.refresh();
        },
      })),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          // graphql-ws re-sends this same payload after a reconnect; advancing its
          // afterSeq as events arrive makes the resubscription resume without a gap.
          const variables: ResumableVariables = { ...request.variables };
          const payload = { ...request, query: request.query ?? '', variables };
          return {
            subscribe(sink) {
              const unsubscribe = socket.client.subscribe(payload, {
                next({ data, errors, extensions }) {
                  advanceAfterSeq(variables, data);
                  sink.next({
                    data: data ?? null,
                    ...(errors ? { errors } : {}),
                    ...(extensions ? { extensions } : {}),
                  });
                },
                error: (error) => sink.error(error),
                complete: () => sink.complete(),
              });
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}
