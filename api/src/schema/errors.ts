import { GraphQLError } from 'graphql';
import { createGraphQLError, type MaskError, maskError } from 'graphql-yoga';
import { DomainError } from '../services/errors.ts';

/**
 * Yoga's error masking with one exception: a DomainError (an expected failure) keeps its
 * message and gains `extensions.code`. Everything else is masked as before.
 */
export const maskDomainErrors: MaskError = (error, message, isDev) => {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    return createGraphQLError(original.message, {
      ...(error instanceof GraphQLError ? locationOf(error) : {}),
      extensions: { ...original.extensions, code: original.code },
    });
  }
  return maskError(error, message, isDev);
};

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

/** Whether an error (or the error a GraphQLError wraps) is an expected domain failure. */
export function isExpectedError(error: unknown): boolean {
  const original = error instanceof GraphQLError ? error.originalError : error;
  return original instanceof DomainError;
}
