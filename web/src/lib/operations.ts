/**
 * GraphQL documents the app shares between modules (auth, cache updaters, views). Views
 * keep their own single-use documents next to them.
 */
import { graphql } from '../gql/index.ts';

/** The refresh token is left out on purpose: it travels in the httpOnly cookie only. */
export const AuthFields = graphql(`
  fragment AuthFields on AuthPayload {
    accessToken
    user {
      id
      name
      email
      online
    }
  }
`);

export const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      ...AuthFields
    }
  }
`);

export const LogInMutation = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      ...AuthFields
    }
  }
`);

/** Without an argument: the server reads (and rotates) the refresh cookie. */
export const RefreshSessionMutation = graphql(`
  mutation RefreshSession {
    refreshSession {
      ...AuthFields
    }
  }
`);

/** Revokes the cookie's session; the server clears the cookie. */
export const LogOutMutation = graphql(`
  mutation LogOut {
    logOut
  }
`);

export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id
    clientId
    conversationId
    seq
    kind
    body
    status
    createdAt
    sender {
      id
      name
    }
  }
`);

export const ConversationListItem = graphql(`
  fragment ConversationListItem on Conversation {
    id
    kind
    title
    unreadCount
    lastReadSeq
    members {
      id
      name
      online
    }
    lastMessage {
      ...MessageFields
    }
  }
`);

export const ConversationsQuery = graphql(`
  query Conversations($first: Int!) {
    conversations(first: $first) {
      edges {
        cursor
        node {
          ...ConversationListItem
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ContactFields = graphql(`
  fragment ContactFields on Contact {
    nickname
    user {
      id
      name
      online
    }
  }
`);

export const ContactsQuery = graphql(`
  query Contacts {
    contacts {
      ...ContactFields
    }
  }
`);

/** The newest page of a conversation: the page live messages are appended to. */
export const ConversationViewQuery = graphql(`
  query ConversationView($id: ID!, $last: Int!) {
    conversation(id: $id) {
      ...ConversationListItem
      readMarks {
        seq
        user {
          id
        }
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

/** An older page of history, loaded when the reader scrolls up. */
export const OlderMessagesQuery = graphql(`
  query OlderMessages($id: ID!, $last: Int!, $before: String!) {
    conversation(id: $id) {
      id
      messages(last: $last, before: $before) {
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

export const SendMessageMutation = graphql(`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      ...MessageFields
    }
  }
`);

export const ConversationEventsSubscription = graphql(`
  subscription ConversationEvents($conversationId: ID!, $afterSeq: Int) {
    conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {
      __typename
      ... on MessageAdded {
        message {
          ...MessageFields
        }
      }
      ... on MessageUpdated {
        message {
          ...MessageFields
        }
      }
      ... on TypingChanged {
        typing
        user {
          id
          name
        }
      }
      ... on ReadUpTo {
        seq
        user {
          id
        }
      }
      ... on ResyncRequired {
        latestSeq
      }
    }
  }
`);

export const InboxSubscription = graphql(`
  subscription Inbox {
    inbox {
      __typename
      ... on ConversationActivity {
        conversation {
          ...ConversationListItem
        }
        message {
          ...MessageFields
        }
      }
      ... on PresenceChanged {
        online
        user {
          id
          online
        }
      }
    }
  }
`);
