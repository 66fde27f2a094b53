/**
 * `@parley/client`: a typed client for the Parley API. Every operation in
 * `operations.graphql` is exported as a typed `<Name>Document`, ready for `request()`.
 */
export {
  type ConversationEvent,
  type ConversationEventsOptions,
  createParleyClient,
  type ParleyClient,
  type ParleyClientOptions,
} from './client.ts';
export { type GraphQLErrorShape, ParleyError } from './errors.ts';
export * from './gql/graphql.ts';
