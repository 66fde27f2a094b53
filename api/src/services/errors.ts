/** The expected failures a client can act on; the GraphQL edge turns them into `extensions.code`. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED';

/**
 * An expected domain failure. Services throw it; the edge exposes its message and code
 * while every other error stays masked.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Extra `extensions` fields, e.g. `retryAfter` for RATE_LIMITED. */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.extensions = extensions;
  }
}

/** The caller has no valid access token. */
export const unauthenticated = (message = 'Authentication required'): DomainError =>
  new DomainError('UNAUTHENTICATED', message);

/** The caller may not touch this resource. */
export const forbidden = (message = 'Not allowed'): DomainError =>
  new DomainError('FORBIDDEN', message);

/** The resource does not exist. */
export const notFound = (what: string): DomainError =>
  new DomainError('NOT_FOUND', `${what} not found`);

/** The input failed validation. */
export const badInput = (message: string): DomainError =>
  new DomainError('BAD_USER_INPUT', message);

/** The write clashes with existing state. */
export const conflict = (message: string): DomainError => new DomainError('CONFLICT', message);

/** Too many requests; `retryAfter` is in whole seconds. */
export const rateLimited = (retryAfterMs: number): DomainError =>
  new DomainError('RATE_LIMITED', 'Too many requests, slow down', {
    retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });
