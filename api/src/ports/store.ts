import type {
  Contact,
  Conversation,
  ConversationId,
  Message,
  MessageId,
  ReadMark,
  Session,
  User,
  UserId,
} from '../domain/model.ts';

/**
 * The durable system of record. Implemented by `adapters/sqlite` (embedded) and
 * `adapters/mongo` (distributed). Every method is idempotent where the comment says so,
 * because the persistence pipeline replays records after crashes.
 */
export interface Store {
  readonly users: UserRepository;
  readonly contacts: ContactRepository;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly sessions: SessionRepository;
  readonly readMarks: ReadMarkRepository;
  /** Resolves when the store answers; used by `/readyz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by repositories when a unique constraint rejects a write. */
export class UniqueViolationError extends Error {
  readonly field: string;
  constructor(field: string) {
    super(`unique constraint violated: ${field}`);
    this.name = 'UniqueViolationError';
    this.field = field;
  }
}

/** Thrown by `listForMember` when `after` is not a cursor that `cursorOf` produced. */
export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`invalid cursor: ${cursor.slice(0, 64)}`);
    this.name = 'InvalidCursorError';
  }
}

export interface UserRepository {
  /** @throws UniqueViolationError('email') when the email is taken. */
  create(user: User): Promise<void>;
  findById(id: UserId): Promise<User | null>;
  findByIds(ids: readonly UserId[]): Promise<User[]>;
  findByEmail(email: string): Promise<User | null>;
  /** Case-insensitive match on name or email prefix, excluding `excludeId`. */
  search(query: string, limit: number, excludeId: UserId): Promise<User[]>;
}

export interface ContactRepository {
  /** Inserts or updates the nickname of (ownerId, userId). */
  upsert(contact: Contact): Promise<Contact>;
  find(ownerId: UserId, userId: UserId): Promise<Contact | null>;
  listForOwner(ownerId: UserId): Promise<Contact[]>;
  /** Owners who have `userId` as a contact: the people told about `userId`'s presence. */
  listOwnersOf(userId: UserId): Promise<UserId[]>;
}

export interface ConversationPage {
  readonly items: Conversation[];
  readonly hasMore: boolean;
}

export interface ConversationRepository {
  /** @throws UniqueViolationError('directKey') when the pair already has a conversation. */
  create(conversation: Conversation): Promise<void>;
  findById(id: ConversationId): Promise<Conversation | null>;
  findByDirectKey(directKey: string): Promise<Conversation | null>;
  /**
   * Conversations of a member, most recent activity first. `after` is an opaque cursor
   * produced by `cursorOf`. @throws InvalidCursorError for any other `after`.
   */
  listForMember(memberId: UserId, first: number, after: string | null): Promise<ConversationPage>;
  cursorOf(conversation: Conversation): string;
  /** Moves lastActivityAt forward only; replays never move it back. */
  touch(id: ConversationId, at: Date): Promise<void>;
}

export interface InsertManyResult {
  readonly inserted: number;
  /** Records whose id (or conversation+seq, conversation+clientId) was already stored. */
  readonly duplicates: number;
}

export interface MessageRepository {
  /** Idempotent bulk insert keyed by message id; duplicates are counted, never thrown. */
  insertMany(messages: readonly Message[]): Promise<InsertManyResult>;
  /**
   * Stores the final state (body, status, error, updatedAt) of a message that was stored
   * while STREAMING. Idempotent; a message already in a final state is left as it is.
   */
  finalize(message: Message): Promise<void>;
  findById(id: MessageId): Promise<Message | null>;
  findByClientId(conversationId: ConversationId, clientId: string): Promise<Message | null>;
  /** Up to `limit` messages with seq < beforeSeq (or the newest when null), ascending by seq. */
  listBefore(
    conversationId: ConversationId,
    beforeSeq: number | null,
    limit: number,
  ): Promise<Message[]>;
  /** Up to `limit` messages with seq > afterSeq, ascending by seq. */
  listAfter(conversationId: ConversationId, afterSeq: number, limit: number): Promise<Message[]>;
  /** Highest stored seq in the conversation, 0 when empty. */
  maxSeq(conversationId: ConversationId): Promise<number>;
  /** Messages with seq > afterSeq not sent by `readerId`. */
  countUnread(conversationId: ConversationId, readerId: UserId, afterSeq: number): Promise<number>;
  /** STREAMING messages last updated before `olderThan`; the sweep marks them FAILED. */
  listStaleStreaming(olderThan: Date, limit: number): Promise<Message[]>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<Session | null>;
  /**
   * Marks the session rotated only if it was neither rotated nor revoked; returns whether
   * this call won. Two concurrent refreshes with one token: exactly one wins.
   */
  markRotated(id: string, at: Date): Promise<boolean>;
  revokeFamily(familyId: string, at: Date): Promise<void>;
}

export interface ReadMarkRepository {
  /** Moves the mark forward only; returns the mark now stored. */
  advance(mark: ReadMark): Promise<number>;
  get(conversationId: ConversationId, userId: UserId): Promise<number>;
  listForConversation(conversationId: ConversationId): Promise<ReadMark[]>;
}
