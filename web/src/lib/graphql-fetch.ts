import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { stringifyDocument } from '@urql/core';

/** A GraphQL error as it arrives on the wire. */
export interface WireError {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
}

/** Thrown when the response carries GraphQL errors; `code` is the first `extensions.code`. */
export class GraphQLRequestError extends Error {
  readonly code: string | null;
  readonly errors: readonly WireError[];
  constructor(errors: readonly WireError[]) {
    super(errors.map((error) => error.message).join('; ') || 'GraphQL request failed');
    this.name = 'GraphQLRequestError';
    this.errors = errors;
    this.code = errors.find((error) => error.extensions?.code)?.extensions?.code ?? null;
  }
}

/**
 * One typed GraphQL request over plain fetch, outside urql. The session uses it to refresh
 * tokens, so a refresh never loops back through the auth exchange.
 */
export async function graphqlFetch<Result, Variables>(
  url: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: stringifyDocument(document), variables }),
  });
  const body = (await response.json()) as { data?: Result | null; errors?: WireError[] };
  if (body.errors?.length) throw new GraphQLRequestError(body.errors);
  if (body.data == null) throw new Error(`GraphQL request failed with HTTP ${response.status}`);
  return body.data;
}
