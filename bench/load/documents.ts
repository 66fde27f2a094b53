/**
 * The operations the load generator sends: the web app's own documents (web/src/lib/
 * operations.ts), so that the server does the work a real client asks of it.
 */

const MESSAGE_FIELDS = `
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
  }`;

export const SIGN_UP = `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { accessToken refreshToken user { id } }
  }`;

export const CREATE_GROUP = `
  mutation CreateGroup($input: CreateGroupInput!) {
    createGroupConversation(input: $input) { id }
  }`;

export const SEND_MESSAGE = `
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) { ...MessageFields }
  }
  ${MESSAGE_FIELDS}`;

/** The web app's subscription, selection and all. */
export const CONVERSATION_EVENTS = `
  subscription ConversationEvents($conversationId: ID!, $afterSeq: Int) {
    conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {
      __typename
      ... on MessageAdded { message { ...MessageFields } }
      ... on MessageUpdated { message { ...MessageFields } }
      ... on TypingChanged { typing user { id name } }
      ... on ReadUpTo { seq user { id } }
      ... on ResyncRequired { latestSeq }
    }
  }
  ${MESSAGE_FIELDS}`;

/** The newest page of history, as the web app's conversation view reads it (list item trimmed). */
export const CONVERSATION_VIEW = `
  query ConversationView($id: ID!, $last: Int!) {
    conversation(id: $id) {
      id
      messages(last: $last) {
        edges { cursor node { ...MessageFields } }
        pageInfo { hasPreviousPage startCursor }
      }
    }
  }
  ${MESSAGE_FIELDS}`;
