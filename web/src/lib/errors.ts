import type { CombinedError } from 'urql';

/** A short sentence for the user from a failed urql operation. */
export function describeError(error: CombinedError): string {
  if (error.networkError) return 'Could not reach the server. Check your connection.';
  const first = error.graphQLErrors[0];
  if (!first) return 'Something went wrong.';
  switch (first.extensions['code']) {
    case 'RATE_LIMITED': {
      const retryAfter = first.extensions['retryAfter'];
      return typeof retryAfter === 'number'
        ? `Slow down: try again in ${Math.ceil(retryAfter)} s.`
        : 'Slow down: try again in a moment.';
    }
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Please log in again.';
    case 'FORBIDDEN':
    case 'NOT_FOUND':
      return 'That is not available to you.';
    default:
      return first.message;
  }
}
