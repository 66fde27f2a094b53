import { type Collection, type Connection, type Model, Schema } from 'mongoose';
import type { ConversationKind, MessageKind, MessageStatus } from '../../domain/model.ts';

// Storage shapes. `_id` is the domain id. FerretDB 1.24 has no partial or sparse unique
// indexes, so a nullable unique field gets an always-present companion key instead. Its
// updates are a read then a write, not atomic: two concurrent `$inc`s or compare-and-set
// updates can both "win". Wherever exactly one writer must win, the write is an insert
// whose unique `_id` decides (rotation and revocation markers, read marks, seq leases).

export interface UserDoc {
  _id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  /** Lower-cased name, for search. */
  nameFolded: string;
  passwordHash: string;
  createdAt: Date;
}

export interface ContactDoc {
  /** `${ownerId}/${userId}`. */
  _id: string;
  ownerId: string;
  userId: string;
  nickname: string | null;
  createdAt: Date;
}

export interface ConversationDoc {
  _id: string;
  kind: ConversationKind;
  title: string | null;
  memberIds: string[];
  directKey: string | null;
  /** directKey, or `group:${id}` when it is null: unique without a partial index. */
  directSlot: string;
  createdAt: Date;
  lastActivityAt: Date;
}

export interface MessageDoc {
  _id: string;
  conversationId: string;
  seq: number;
  clientId: string | null;
  /** `c:${clientId}`, or `m:${id}` without one: (conversationId, clientKey) is unique. */
  clientKey: string;
  senderId: string | null;
  kind: MessageKind;
  body: string;
  status: MessageStatus;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Written once; rotation and revocation are separate insert-only markers. */
export interface SessionDoc {
  _id: string;
  familyId: string;
  userId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** `_id` is the session id (rotations) or the family id (revocations): the first insert wins. */
export interface MarkerDoc {
  _id: string;
  at: Date;
}

/** One document per mark reached; the mark is the highest. Lower ones are pruned. */
export interface ReadMarkDoc {
  /** `${conversationId}/${userId}/${seq}`. */
  _id: string;
  conversationId: string;
  userId: string;
  seq: number;
}

/**
 * The durable ceiling behind the Redis seq allocator (see `SeqLeaseStore`), as a log of
 * generations: the state is the highest generation, and a change inserts the next one.
 */
export interface SeqLeaseDoc {
  /** `${conversationId}/${generation}`. */
  _id: string;
  conversationId: string;
  generation: number;
  ceiling: number;
  untilMs: number;
  /** A seq was issued directly since the last grant. */
  dirty: boolean;
}

const options = { versionKey: false, timestamps: false, strict: true } as const;
const nullableString = { type: String, default: null };
const nullableDate = { type: Date, default: null };

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, required: true },
    nameFolded: { type: String, required: true },
    passwordHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  options,
);
userSchema.index({ email: 1 }, { unique: true, name: 'users_email' });
userSchema.index({ nameFolded: 1, _id: 1 }, { name: 'users_name' });

const contactSchema = new Schema<ContactDoc>(
  {
    _id: { type: String, required: true },
    ownerId: { type: String, required: true },
    userId: { type: String, required: true },
    nickname: nullableString,
    createdAt: { type: Date, required: true },
  },
  options,
);
contactSchema.index({ ownerId: 1, createdAt: 1 }, { name: 'contacts_owner' });
contactSchema.index({ userId: 1 }, { name: 'contacts_user' });

const conversationSchema = new Schema<ConversationDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['DIRECT', 'GROUP'] },
    title: nullableString,
    memberIds: { type: [String], required: true },
    directKey: nullableString,
    directSlot: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastActivityAt: { type: Date, required: true },
  },
  options,
);
conversationSchema.index({ directSlot: 1 }, { unique: true, name: 'conversations_direct' });
conversationSchema.index(
  { memberIds: 1, lastActivityAt: -1, _id: -1 },
  { name: 'conversations_member_activity' },
);

const messageSchema = new Schema<MessageDoc>(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    seq: { type: Number, required: true },
    clientId: nullableString,
    clientKey: { type: String, required: true },
    senderId: nullableString,
    kind: { type: String, required: true },
    body: { type: String, default: '' },
    status: { type: String, required: true },
    error: nullableString,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  options,
);
messageSchema.index({ conversationId: 1, seq: 1 }, { unique: true, name: 'messages_seq' });
messageSchema.index({ conversationId: 1, clientKey: 1 }, { unique: true, name: 'messages_client' });
messageSchema.index({ status: 1, updatedAt: 1 }, { name: 'messages_status' });

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    familyId: { type: String, required: true },
    userId: { type: String, required: true },
    tokenHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    rotatedAt: nullableDate,
    revokedAt: nullableDate,
  },
  options,
);
sessionSchema.index({ tokenHash: 1 }, { unique: true, name: 'sessions_token' });
sessionSchema.index({ familyId: 1 }, { name: 'sessions_family' });

const markerSchema = new Schema<MarkerDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  options,
);

const readMarkSchema = new Schema<ReadMarkDoc>(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    userId: { type: String, required: true },
    seq: { type: Number, required: true },
  },
  options,
);
readMarkSchema.index(
  { conversationId: 1, userId: 1, seq: -1 },
  { name: 'read_marks_conversation' },
);

const seqLeaseSchema = new Schema<SeqLeaseDoc>(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    generation: { type: Number, required: true },
    ceiling: { type: Number, required: true },
    untilMs: { type: Number, required: true },
    dirty: { type: Boolean, required: true },
  },
  options,
);
seqLeaseSchema.index({ conversationId: 1, generation: -1 }, { name: 'seq_leases_latest' });

/** Every model of the store, bound to one connection. */
export interface Models {
  readonly users: Model<UserDoc>;
  readonly contacts: Model<ContactDoc>;
  readonly conversations: Model<ConversationDoc>;
  readonly messages: Model<MessageDoc>;
  readonly sessions: Model<SessionDoc>;
  readonly sessionRotations: Model<MarkerDoc>;
  readonly familyRevocations: Model<MarkerDoc>;
  readonly readMarks: Model<ReadMarkDoc>;
  readonly seqLeases: Model<SeqLeaseDoc>;
}

/** Binds the models to `connection` (collection names are fixed, not pluralised guesses). */
export function bindModels(connection: Connection): Models {
  return {
    users: connection.model('User', userSchema, 'users'),
    contacts: connection.model('Contact', contactSchema, 'contacts'),
    conversations: connection.model('Conversation', conversationSchema, 'conversations'),
    messages: connection.model('Message', messageSchema, 'messages'),
    sessions: connection.model('Session', sessionSchema, 'sessions'),
    sessionRotations: connection.model('SessionRotation', markerSchema, 'session_rotations'),
    familyRevocations: connection.model('FamilyRevocation', markerSchema, 'family_revocations'),
    readMarks: connection.model('ReadMark', readMarkSchema, 'read_marks'),
    seqLeases: connection.model('SeqLease', seqLeaseSchema, 'seq_leases'),
  };
}

/**
 * The model's collection typed with its storage shape, for the driver's own calls (bulk
 * inserts and conditional updates skip mongoose's per-document casting).
 */
export function rawCollection<T extends { _id: string }>(model: Model<T>): Collection<T> {
  return model.db.collection<T>(model.collection.collectionName);
}

/** Creates the collections and every index declared above (idempotent; run at start). */
export async function createIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) {
    await model.createCollection().catch((error: unknown) => {
      // 48 NamespaceExists: another instance (or an earlier start) created it first.
      if (!isMongoCode(error, 48)) throw error;
    });
    await model.createIndexes();
  }
}

/** True when `error` is a MongoDB server error with this code. */
export function isMongoCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
