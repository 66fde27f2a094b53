import type { GraphQLError } from 'graphql';
import { createGraphQLError, type MaskError, maskError } from 'graphql-yoga';
import { DomainError } from '../services/errors.ts';

/**
 * Yoga's error masking with one exception: a DomainError (an expected failure) keeps its
 * message and gains `extensions.code`. Everything else is masked as before.
 */
export const maskDomainErrors: MaskError = (error, message, isDev) => {
  const graphQLError = isGraphQLError(error) ? error : null;
  const original = graphQLError ? graphQLError.originalError : error;
  if (original instanceof DomainError) {
    return createGraphQLError(original.message, {
      ...(graphQLError ? locationOf(graphQLError) : {}),
      extensions: { ...original.extensions, code: original.code },
    });
  }
  return maskError(error, message, isDev);
};

/** Whether an error (or the error a GraphQLError wraps) is an expected domain failure. */
export function isExpectedError(error: unknown): boolean {
  const original = isGraphQLError(error) ? error.originalError : error;
  return original instanceof DomainError;
}

/**
 * Duck-typed, not `instanceof`: graphql can be loaded twice (its ESM and CJS builds, e.g. by
 * graphql-tools and by us), and each copy has its own GraphQLError class.
 */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError' && 'originalError' in error;
}

function locationOf(error: GraphQLError): {
  nodes?: GraphQLError['nodes'] & object;
  source?: GraphQLError['source'] & object;
  positions?: GraphQLError['positions'] & object;
  path?: GraphQLError['path'] & object;
} {
  return {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
}
