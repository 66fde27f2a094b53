import {
  type Cache,
  cacheExchange,
  type DataFields,
  type KeyingConfig,
} from '@urql/exchange-graphcache';
import type {
  ContactFieldsFragment,
  ConversationListItemFragment,
  MessageFieldsFragment,
} from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import schema from '../gql/schema.json';
import { ContactsQuery, ConversationsQuery } from './operations.ts';

/** How many conversations the sidebar loads; the updaters edit exactly that list. */
export const conversationListSize = 50;
/** Messages per history page. */
export const messagePageSize = 30;

/** The newest page of a conversation as the cache stores it, for appending live messages. */
const NewestPageQuery = graphql(`
  query NewestPage($id: ID!, $last: Int!) {
    conversation(id: $id) {
      id
      lastMessage {
        ...MessageFields
      }
      messages(last: $last) {
        edges {
          cursor
          node {
            ...MessageFields
          }
        }
        pageInfo {
          hasPreviousPage
          startCursor
        }
      }
    }
  }
`);

/** Types without an id of their own: stored inside their parent, never as entities. */
const embeddedKeys: KeyingConfig = Object.fromEntries(
  [
    'Contact',
    'AuthPayload',
    'PageInfo',
    'ConversationConnection',
    'ConversationEdge',
    'MessageConnection',
    'MessageEdge',
    'MessageAdded',
    'MessageUpdated',
    'TypingChanged',
    'ReadUpTo',
    'ReadMark',
    'ResyncRequired',
    'ConversationActivity',
    'PresenceChanged',
  ].map((typename) => [typename, () => null]),
);

/**
 * urql's normalised cache. Messages, users and conversations are entities; connections,
 * edges and events are embedded in their parents. Messages from `sendMessage`, from
 * `conversationEvents` and from `inbox` all land on the same entities, so every view
 * sees one truth.
 */
export function createCacheExchange() {
  return cacheExchange({
    schema,
    keys: embeddedKeys,
    updates: {
      Mutation: {
        sendMessage(result, _args, cache) {
          const message = field<MessageFieldsFragment>(result, 'sendMessage');
          if (message) addMessage(cache, message);
        },
        addContact(result, _args, cache) {
          const contact = field<ContactFieldsFragment>(result, 'addContact');
          if (!contact) return;
          cache.updateQuery({ query: ContactsQuery }, (data) => {
            if (!data) return data;
            const known = data.contacts.some((existing) => existing.user.id === contact.user.id);
            return known ? data : { ...data, contacts: [...data.contacts, contact] };
          });
        },
        openDirectConversation(result, _args, cache) {
          const conversation = field<ConversationListItemFragment>(
            result,
            'openDirectConversation',
          );
          if (conversation) moveToTop(cache, conversation);
        },
        createGroupConversation(result, _args, cache) {
          const conversation = field<ConversationListItemFragment>(
            result,
            'createGroupConversation',
          );
          if (conversation) moveToTop(cache, conversation);
        },
      },
      Subscription: {
        conversationEvents(result, _args, cache) {
          const event = field<{ __typename?: string; message?: MessageFieldsFragment }>(
            result,
            'conversationEvents',
          );
          if (event?.message) addMessage(cache, event.message);
        },
        inbox(result, _args, cache) {
          const event = field<{
            __typename?: string;
            conversation?: ConversationListItemFragment;
            message?: MessageFieldsFragment | null;
          }>(result, 'inbox');
          if (event?.conversation) moveToTop(cache, event.conversation);
          if (event?.message) addMessage(cache, event.message);
        },
      },
    },
  });
}

function field<T>(result: DataFields, name: string): T | null {
  const value = result[name];
  return typeof value === 'object' && value !== null ? (value as T) : null;
}

/**
 * Inserts a message into every cached newest page of its conversation, in seq order and
 * once (by id), and makes it the conversation's last message when it is the newest.
 * Older pages are immutable history, so a message older than a page's first is skipped.
 */
export function addMessage(cache: Cache, message: MessageFieldsFragment): void {
  const conversationKey = cache.keyOfEntity({
    __typename: 'Conversation',
    id: message.conversationId,
  });
  if (!conversationKey) return;
  for (const { fieldName, arguments: args } of cache.inspectFields(conversationKey)) {
    if (fieldName !== 'messages' || args?.['before'] != null) continue;
    const last = args?.['last'];
    if (typeof last !== 'number') continue;
    cache.updateQuery(
      { query: NewestPageQuery, variables: { id: message.conversationId, last } },
      (data) => {
        const conversation = data?.conversation;
        if (!conversation) return data;
        const edges = insertBySeq(conversation.messages.edges, message);
        const lastMessage =
          !conversation.lastMessage || conversation.lastMessage.seq <= message.seq
            ? message
            : conversation.lastMessage;
        if (edges === conversation.messages.edges && lastMessage === conversation.lastMessage) {
          return data;
        }
        return {
          ...data,
          conversation: {
            ...conversation,
            lastMessage,
            messages: { ...conversation.messages, edges },
          },
        };
      },
    );
  }
}

interface Edge {
  readonly __typename?: string;
  readonly cursor: string;
  readonly node: MessageFieldsFragment;
}

/**
 * `edges` with `message` inserted by seq; the same array when it is already there or
 * belongs before the page. A live edge's cursor is never sent back: older pages are
 * requested with the page's `startCursor`, which an append does not change.
 */
export function insertBySeq(edges: Edge[], message: MessageFieldsFragment): Edge[] {
  if (edges.some((edge) => edge.node.id === message.id)) return edges;
  const first = edges[0];
  if (first && message.seq < first.node.seq) return edges;
  const index = edges.findIndex((edge) => edge.node.seq > message.seq);
  const edge: Edge = { __typename: 'MessageEdge', cursor: `live:${message.seq}`, node: message };
  const at = index === -1 ? edges.length : index;
  return [...edges.slice(0, at), edge, ...edges.slice(at)];
}

/** Puts a conversation first in the sidebar's list (activity order), adding it if new. */
function moveToTop(cache: Cache, conversation: ConversationListItemFragment): void {
  cache.updateQuery(
    { query: ConversationsQuery, variables: { first: conversationListSize } },
    (data) => {
      if (!data) return data;
      const edges = data.conversations.edges;
      const existing = edges.find((edge) => edge.node.id === conversation.id);
      if (existing && edges[0] === existing) return data;
      const rest = edges.filter((edge) => edge !== existing);
      const top = existing ?? { __typename: 'ConversationEdge', cursor: '', node: conversation };
      return { ...data, conversations: { ...data.conversations, edges: [top, ...rest] } };
    },
  );
}
