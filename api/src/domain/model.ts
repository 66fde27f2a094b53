/** Plain domain records shared by services and adapters. Adapters map these to their storage shapes. */

export type UserId = string;
export type ConversationId = string;
export type MessageId = string;

export interface User {
  readonly id: UserId;
  /** Normalised to lower case; unique. */
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string;
  readonly createdAt: Date;
}

export interface Contact {
  readonly ownerId: UserId;
  readonly userId: UserId;
  readonly nickname: string | null;
  readonly createdAt: Date;
}

export type ConversationKind = 'DIRECT' | 'GROUP';

export interface Conversation {
  readonly id: ConversationId;
  readonly kind: ConversationKind;
  readonly title: string | null;
  readonly memberIds: readonly UserId[];
  /** For DIRECT conversations: the two member ids sorted and joined, so a pair maps to one conversation. */
  readonly directKey: string | null;
  readonly createdAt: Date;
  /** Time of the newest message (or creation); orders the conversation list. */
  readonly lastActivityAt: Date;
}

export type MessageKind = 'USER' | 'ASSISTANT' | 'SYSTEM';
export type MessageStatus = 'SENT' | 'STREAMING' | 'COMPLETE' | 'FAILED' | 'CANCELLED';

export interface Message {
  readonly id: MessageId;
  readonly conversationId: ConversationId;
  /** Strictly increasing within the conversation; gaps are allowed, so it is a cursor, not a count. */
  readonly seq: number;
  /** Idempotency key chosen by the sender; unique within the conversation. */
  readonly clientId: string | null;
  /** Null only for SYSTEM messages. */
  readonly senderId: UserId | null;
  readonly kind: MessageKind;
  readonly body: string;
  readonly status: MessageStatus;
  /** Readable reason when status is FAILED. */
  readonly error: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One refresh token in a rotating family. Only the token's hash is ever stored. */
export interface Session {
  readonly id: string;
  readonly familyId: string;
  readonly userId: UserId;
  readonly tokenHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** Set when this token was exchanged for its successor. */
  readonly rotatedAt: Date | null;
  /** Set when the whole family was revoked (log out or reuse detected). */
  readonly revokedAt: Date | null;
}

export interface ReadMark {
  readonly conversationId: ConversationId;
  readonly userId: UserId;
  readonly seq: number;
}
