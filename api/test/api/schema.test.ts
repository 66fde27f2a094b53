import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printSchemaSdl } from '../../src/schema/print.ts';

describe('schema.graphql', () => {
  it('matches the schema built from the code (run `npm run schema:print` if not)', () => {
    const committed = readFileSync(
      join(import.meta.dirname, '..', '..', '..', 'schema.graphql'),
      'utf8',
    );
    expect(committed).toBe(printSchemaSdl());
  });

  it('keeps the contract names and shapes', () => {
    const sdl = printSchemaSdl();
    for (const line of [
      'me: User!',
      'searchUsers(first: Int = 20, query: String!): [User!]!',
      'contacts: [Contact!]!',
      'conversations(after: String, first: Int = 20): ConversationConnection!',
      'conversation(id: ID!): Conversation',
      'signUp(input: SignUpInput!): AuthPayload!',
      'logIn(input: LogInInput!): AuthPayload!',
      'refreshSession(refreshToken: String): AuthPayload!',
      'logOut(refreshToken: String): Boolean!',
      'addContact(input: AddContactInput!): Contact!',
      'renameContact(nickname: String!, userId: ID!): Contact!',
      'openDirectConversation(userId: ID!): Conversation!',
      'createGroupConversation(input: CreateGroupInput!): Conversation!',
      'sendMessage(input: SendMessageInput!): Message!',
      'setTyping(conversationId: ID!, typing: Boolean!): Boolean!',
      'markRead(conversationId: ID!, seq: Int!): Conversation!',
      'readMarks: [ReadMark!]!',
      'conversationEvents(afterSeq: Int, conversationId: ID!): ConversationEvent!',
      'inbox: InboxEvent!',
      'messages(before: String, last: Int = 50): MessageConnection!',
      'union ConversationEvent = MessageAdded | MessageUpdated | ReadUpTo | ResyncRequired | TypingChanged',
      'union InboxEvent = ConversationActivity | PresenceChanged',
    ]) {
      expect(sdl).toContain(line);
    }
  });
});
