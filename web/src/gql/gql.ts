/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation AddContact($input: AddContactInput!) {\n    addContact(input: $input) {\n      ...ContactFields\n    }\n  }\n": typeof types.AddContactDocument,
    "\n  mutation MarkRead($conversationId: ID!, $seq: Int!) {\n    markRead(conversationId: $conversationId, seq: $seq) {\n      id\n      lastReadSeq\n      unreadCount\n    }\n  }\n": typeof types.MarkReadDocument,
    "\n  mutation SetTyping($conversationId: ID!, $typing: Boolean!) {\n    setTyping(conversationId: $conversationId, typing: $typing)\n  }\n": typeof types.SetTypingDocument,
    "\n  mutation OpenDirectConversation($userId: ID!) {\n    openDirectConversation(userId: $userId) {\n      ...ConversationListItem\n    }\n  }\n": typeof types.OpenDirectConversationDocument,
    "\n  mutation CancelAssistantReply($messageId: ID!) {\n    cancelAssistantReply(messageId: $messageId) {\n      ...MessageFields\n    }\n  }\n": typeof types.CancelAssistantReplyDocument,
    "\n  mutation CreateGroupConversation($input: CreateGroupInput!) {\n    createGroupConversation(input: $input) {\n      ...ConversationListItem\n    }\n  }\n": typeof types.CreateGroupConversationDocument,
    "\n  query NewestPage($id: ID!, $last: Int!) {\n    conversation(id: $id) {\n      id\n      lastMessage {\n        ...MessageFields\n      }\n      messages(last: $last) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n": typeof types.NewestPageDocument,
    "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    user {\n      id\n      name\n      email\n      online\n    }\n  }\n": typeof types.AuthFieldsFragmentDoc,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...AuthFields\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      ...AuthFields\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation RefreshSession {\n    refreshSession {\n      ...AuthFields\n    }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": typeof types.LogOutDocument,
    "\n  fragment MessageFields on Message {\n    id\n    clientId\n    conversationId\n    seq\n    kind\n    body\n    status\n    createdAt\n    sender {\n      id\n      name\n    }\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  fragment ConversationListItem on Conversation {\n    id\n    kind\n    title\n    unreadCount\n    lastReadSeq\n    members {\n      id\n      name\n      online\n    }\n    lastMessage {\n      ...MessageFields\n    }\n  }\n": typeof types.ConversationListItemFragmentDoc,
    "\n  query Conversations($first: Int!) {\n    conversations(first: $first) {\n      edges {\n        cursor\n        node {\n          ...ConversationListItem\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.ConversationsDocument,
    "\n  fragment ContactFields on Contact {\n    nickname\n    user {\n      id\n      name\n      online\n    }\n  }\n": typeof types.ContactFieldsFragmentDoc,
    "\n  query Contacts {\n    contacts {\n      ...ContactFields\n    }\n  }\n": typeof types.ContactsDocument,
    "\n  query ConversationView($id: ID!, $last: Int!) {\n    conversation(id: $id) {\n      ...ConversationListItem\n      readMarks {\n        seq\n        user {\n          id\n        }\n      }\n      messages(last: $last) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n": typeof types.ConversationViewDocument,
    "\n  query OlderMessages($id: ID!, $last: Int!, $before: String!) {\n    conversation(id: $id) {\n      id\n      messages(last: $last, before: $before) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n": typeof types.OlderMessagesDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...MessageFields\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  subscription ConversationEvents($conversationId: ID!, $afterSeq: Int) {\n    conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {\n      __typename\n      ... on MessageAdded {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on MessageUpdated {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on TypingChanged {\n        typing\n        user {\n          id\n          name\n        }\n      }\n      ... on ReadUpTo {\n        seq\n        user {\n          id\n        }\n      }\n      ... on ResyncRequired {\n        latestSeq\n      }\n    }\n  }\n": typeof types.ConversationEventsDocument,
    "\n  subscription Inbox {\n    inbox {\n      __typename\n      ... on ConversationActivity {\n        conversation {\n          ...ConversationListItem\n        }\n        message {\n          ...MessageFields\n        }\n      }\n      ... on PresenceChanged {\n        online\n        user {\n          id\n          online\n        }\n      }\n    }\n  }\n": typeof types.InboxDocument,
};
const documents: Documents = {
    "\n  mutation AddContact($input: AddContactInput!) {\n    addContact(input: $input) {\n      ...ContactFields\n    }\n  }\n": types.AddContactDocument,
    "\n  mutation MarkRead($conversationId: ID!, $seq: Int!) {\n    markRead(conversationId: $conversationId, seq: $seq) {\n      id\n      lastReadSeq\n      unreadCount\n    }\n  }\n": types.MarkReadDocument,
    "\n  mutation SetTyping($conversationId: ID!, $typing: Boolean!) {\n    setTyping(conversationId: $conversationId, typing: $typing)\n  }\n": types.SetTypingDocument,
    "\n  mutation OpenDirectConversation($userId: ID!) {\n    openDirectConversation(userId: $userId) {\n      ...ConversationListItem\n    }\n  }\n": types.OpenDirectConversationDocument,
    "\n  mutation CancelAssistantReply($messageId: ID!) {\n    cancelAssistantReply(messageId: $messageId) {\n      ...MessageFields\n    }\n  }\n": types.CancelAssistantReplyDocument,
    "\n  mutation CreateGroupConversation($input: CreateGroupInput!) {\n    createGroupConversation(input: $input) {\n      ...ConversationListItem\n    }\n  }\n": types.CreateGroupConversationDocument,
    "\n  query NewestPage($id: ID!, $last: Int!) {\n    conversation(id: $id) {\n      id\n      lastMessage {\n        ...MessageFields\n      }\n      messages(last: $last) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n": types.NewestPageDocument,
    "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    user {\n      id\n      name\n      email\n      online\n    }\n  }\n": types.AuthFieldsFragmentDoc,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...AuthFields\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      ...AuthFields\n    }\n  }\n": types.LogInDocument,
    "\n  mutation RefreshSession {\n    refreshSession {\n      ...AuthFields\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": types.LogOutDocument,
    "\n  fragment MessageFields on Message {\n    id\n    clientId\n    conversationId\n    seq\n    kind\n    body\n    status\n    createdAt\n    sender {\n      id\n      name\n    }\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  fragment ConversationListItem on Conversation {\n    id\n    kind\n    title\n    unreadCount\n    lastReadSeq\n    members {\n      id\n      name\n      online\n    }\n    lastMessage {\n      ...MessageFields\n    }\n  }\n": types.ConversationListItemFragmentDoc,
    "\n  query Conversations($first: Int!) {\n    conversations(first: $first) {\n      edges {\n        cursor\n        node {\n          ...ConversationListItem\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.ConversationsDocument,
    "\n  fragment ContactFields on Contact {\n    nickname\n    user {\n      id\n      name\n      online\n    }\n  }\n": types.ContactFieldsFragmentDoc,
    "\n  query Contacts {\n    contacts {\n      ...ContactFields\n    }\n  }\n": types.ContactsDocument,
    "\n  query ConversationView($id: ID!, $last: Int!) {\n    conversation(id: $id) {\n      ...ConversationListItem\n      readMarks {\n        seq\n        user {\n          id\n        }\n      }\n      messages(last: $last) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n": types.ConversationViewDocument,
    "\n  query OlderMessages($id: ID!, $last: Int!, $before: String!) {\n    conversation(id: $id) {\n      id\n      messages(last: $last, before: $before) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n": types.OlderMessagesDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...MessageFields\n    }\n  }\n": types.SendMessageDocument,
    "\n  subscription ConversationEvents($conversationId: ID!, $afterSeq: Int) {\n    conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {\n      __typename\n      ... on MessageAdded {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on MessageUpdated {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on TypingChanged {\n        typing\n        user {\n          id\n          name\n        }\n      }\n      ... on ReadUpTo {\n        seq\n        user {\n          id\n        }\n      }\n      ... on ResyncRequired {\n        latestSeq\n      }\n    }\n  }\n": types.ConversationEventsDocument,
    "\n  subscription Inbox {\n    inbox {\n      __typename\n      ... on ConversationActivity {\n        conversation {\n          ...ConversationListItem\n        }\n        message {\n          ...MessageFields\n        }\n      }\n      ... on PresenceChanged {\n        online\n        user {\n          id\n          online\n        }\n      }\n    }\n  }\n": types.InboxDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddContact($input: AddContactInput!) {\n    addContact(input: $input) {\n      ...ContactFields\n    }\n  }\n"): (typeof documents)["\n  mutation AddContact($input: AddContactInput!) {\n    addContact(input: $input) {\n      ...ContactFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkRead($conversationId: ID!, $seq: Int!) {\n    markRead(conversationId: $conversationId, seq: $seq) {\n      id\n      lastReadSeq\n      unreadCount\n    }\n  }\n"): (typeof documents)["\n  mutation MarkRead($conversationId: ID!, $seq: Int!) {\n    markRead(conversationId: $conversationId, seq: $seq) {\n      id\n      lastReadSeq\n      unreadCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTyping($conversationId: ID!, $typing: Boolean!) {\n    setTyping(conversationId: $conversationId, typing: $typing)\n  }\n"): (typeof documents)["\n  mutation SetTyping($conversationId: ID!, $typing: Boolean!) {\n    setTyping(conversationId: $conversationId, typing: $typing)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OpenDirectConversation($userId: ID!) {\n    openDirectConversation(userId: $userId) {\n      ...ConversationListItem\n    }\n  }\n"): (typeof documents)["\n  mutation OpenDirectConversation($userId: ID!) {\n    openDirectConversation(userId: $userId) {\n      ...ConversationListItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelAssistantReply($messageId: ID!) {\n    cancelAssistantReply(messageId: $messageId) {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  mutation CancelAssistantReply($messageId: ID!) {\n    cancelAssistantReply(messageId: $messageId) {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateGroupConversation($input: CreateGroupInput!) {\n    createGroupConversation(input: $input) {\n      ...ConversationListItem\n    }\n  }\n"): (typeof documents)["\n  mutation CreateGroupConversation($input: CreateGroupInput!) {\n    createGroupConversation(input: $input) {\n      ...ConversationListItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NewestPage($id: ID!, $last: Int!) {\n    conversation(id: $id) {\n      id\n      lastMessage {\n        ...MessageFields\n      }\n      messages(last: $last) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query NewestPage($id: ID!, $last: Int!) {\n    conversation(id: $id) {\n      id\n      lastMessage {\n        ...MessageFields\n      }\n      messages(last: $last) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuthFields on AuthPayload {\n    accessToken\n    user {\n      id\n      name\n      email\n      online\n    }\n  }\n"): (typeof documents)["\n  fragment AuthFields on AuthPayload {\n    accessToken\n    user {\n      id\n      name\n      email\n      online\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...AuthFields\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...AuthFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      ...AuthFields\n    }\n  }\n"): (typeof documents)["\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      ...AuthFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession {\n    refreshSession {\n      ...AuthFields\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSession {\n    refreshSession {\n      ...AuthFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOut {\n    logOut\n  }\n"): (typeof documents)["\n  mutation LogOut {\n    logOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageFields on Message {\n    id\n    clientId\n    conversationId\n    seq\n    kind\n    body\n    status\n    createdAt\n    sender {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment MessageFields on Message {\n    id\n    clientId\n    conversationId\n    seq\n    kind\n    body\n    status\n    createdAt\n    sender {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConversationListItem on Conversation {\n    id\n    kind\n    title\n    unreadCount\n    lastReadSeq\n    members {\n      id\n      name\n      online\n    }\n    lastMessage {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  fragment ConversationListItem on Conversation {\n    id\n    kind\n    title\n    unreadCount\n    lastReadSeq\n    members {\n      id\n      name\n      online\n    }\n    lastMessage {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversations($first: Int!) {\n    conversations(first: $first) {\n      edges {\n        cursor\n        node {\n          ...ConversationListItem\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Conversations($first: Int!) {\n    conversations(first: $first) {\n      edges {\n        cursor\n        node {\n          ...ConversationListItem\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactFields on Contact {\n    nickname\n    user {\n      id\n      name\n      online\n    }\n  }\n"): (typeof documents)["\n  fragment ContactFields on Contact {\n    nickname\n    user {\n      id\n      name\n      online\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Contacts {\n    contacts {\n      ...ContactFields\n    }\n  }\n"): (typeof documents)["\n  query Contacts {\n    contacts {\n      ...ContactFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConversationView($id: ID!, $last: Int!) {\n    conversation(id: $id) {\n      ...ConversationListItem\n      readMarks {\n        seq\n        user {\n          id\n        }\n      }\n      messages(last: $last) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConversationView($id: ID!, $last: Int!) {\n    conversation(id: $id) {\n      ...ConversationListItem\n      readMarks {\n        seq\n        user {\n          id\n        }\n      }\n      messages(last: $last) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OlderMessages($id: ID!, $last: Int!, $before: String!) {\n    conversation(id: $id) {\n      id\n      messages(last: $last, before: $before) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OlderMessages($id: ID!, $last: Int!, $before: String!) {\n    conversation(id: $id) {\n      id\n      messages(last: $last, before: $before) {\n        edges {\n          cursor\n          node {\n            ...MessageFields\n          }\n        }\n        pageInfo {\n          hasPreviousPage\n          startCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...MessageFields\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...MessageFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConversationEvents($conversationId: ID!, $afterSeq: Int) {\n    conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {\n      __typename\n      ... on MessageAdded {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on MessageUpdated {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on TypingChanged {\n        typing\n        user {\n          id\n          name\n        }\n      }\n      ... on ReadUpTo {\n        seq\n        user {\n          id\n        }\n      }\n      ... on ResyncRequired {\n        latestSeq\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ConversationEvents($conversationId: ID!, $afterSeq: Int) {\n    conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {\n      __typename\n      ... on MessageAdded {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on MessageUpdated {\n        message {\n          ...MessageFields\n        }\n      }\n      ... on TypingChanged {\n        typing\n        user {\n          id\n          name\n        }\n      }\n      ... on ReadUpTo {\n        seq\n        user {\n          id\n        }\n      }\n      ... on ResyncRequired {\n        latestSeq\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription Inbox {\n    inbox {\n      __typename\n      ... on ConversationActivity {\n        conversation {\n          ...ConversationListItem\n        }\n        message {\n          ...MessageFields\n        }\n      }\n      ... on PresenceChanged {\n        online\n        user {\n          id\n          online\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription Inbox {\n    inbox {\n      __typename\n      ... on ConversationActivity {\n        conversation {\n          ...ConversationListItem\n        }\n        message {\n          ...MessageFields\n        }\n      }\n      ... on PresenceChanged {\n        online\n        user {\n          id\n          online\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;