/** A GraphQL error as the server sends it. */
export interface GraphQLErrorShape {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
}

/**
 * A request the server answered with errors. `code` is the first `extensions.code`
 * (`UNAUTHENTICATED`, `FORBIDDEN`, `BAD_USER_INPUT`, `NOT_FOUND`, `CONFLICT`, `RATE_LIMITED`).
 */
export class ParleyError extends Error {
  readonly code: string | null;
  readonly errors: readonly GraphQLErrorShape[];
  constructor(errors: readonly GraphQLErrorShape[]) {
    super(errors.map((error) => error.message).join('; ') || 'GraphQL request failed');
    this.name = 'ParleyError';
    this.errors = errors;
    this.code = errors.find((error) => error.extensions?.code)?.extensions?.code ?? null;
  }

  /** Seconds to wait before retrying, for `RATE_LIMITED`. */
  get retryAfter(): number | null {
    const value = this.errors.find((error) => error.extensions?.code === 'RATE_LIMITED')
      ?.extensions?.['retryAfter'];
    return typeof value === 'number' ? value : null;
  }
}

/** Whether `errors` say the access token was missing, invalid or expired. */
export function isUnauthenticated(errors: readonly GraphQLErrorShape[]): boolean {
  return errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED');
}
