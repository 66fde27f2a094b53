import type { Conversation } from '../../domain/model.ts';
import { type ConversationRepository, InvalidCursorError } from '../../ports/store.ts';
import { mapDuplicateKey } from './errors.ts';
import { type ConversationDoc, type Models, rawCollection } from './models.ts';

/** Conversations, listed per member by (lastActivityAt, id) descending. */
export function createConversationRepository(models: Models): ConversationRepository {
  const { conversations } = models;
  return {
    async create(conversation) {
      const directSlot = conversation.directKey ?? `group:${conversation.id}`;
      await mapDuplicateKey(
        () =>
          rawCollection(conversations).insertOne({
            _id: conversation.id,
            kind: conversation.kind,
            title: conversation.title,
            memberIds: [...conversation.memberIds],
            directKey: conversation.directKey,
            directSlot,
            createdAt: conversation.createdAt,
            lastActivityAt: conversation.lastActivityAt,
          }),
        { _id: 'id', directSlot: 'directKey' },
        async () =>
          conversation.directKey !== null && (await conversations.exists({ directSlot }))
            ? 'directKey'
            : 'id',
      );
    },

    async findById(id) {
      const doc = await conversations.findById(id).lean<ConversationDoc>();
      return doc ? toConversation(doc) : null;
    },

    async findByDirectKey(directKey) {
      const doc = await conversations.findOne({ directSlot: directKey }).lean<ConversationDoc>();
      return doc ? toConversation(doc) : null;
    },

    async listForMember(memberId, first, after) {
      const filter =
        after === null
          ? { memberIds: memberId }
          : (() => {
              const { at, id } = decodeCursor(after);
              return {
                memberIds: memberId,
                $or: [{ lastActivityAt: { $lt: at } }, { lastActivityAt: at, _id: { $lt: id } }],
              };
            })();
      // One extra document tells whether another page exists.
      const docs = await conversations
        .find(filter)
        .sort({ lastActivityAt: -1, _id: -1 })
        .limit(first + 1)
        .lean<ConversationDoc[]>();
      return { items: docs.slice(0, first).map(toConversation), hasMore: docs.length > first };
    },

    cursorOf(conversation) {
      return encodeCursor(conversation.lastActivityAt.getTime(), conversation.id);
    },

    /**
     * Conditional, so replays never move it back. FerretDB 1.x applies updates as a read and
     * a write, so two touches of one conversation at the same moment may keep the older time;
     * the worker touches a conversation from one partition, so only a rebalance can race.
     */
    async touch(id, at) {
      await rawCollection(conversations).updateOne(
        { _id: id, lastActivityAt: { $lt: at } },
        { $set: { lastActivityAt: at } },
      );
    },
  };
}

function toConversation(doc: ConversationDoc): Conversation {
  return {
    id: doc._id,
    kind: doc.kind,
    title: doc.title ?? null,
    memberIds: doc.memberIds,
    directKey: doc.directKey ?? null,
    createdAt: doc.createdAt,
    lastActivityAt: doc.lastActivityAt,
  };
}

/** base64url JSON `[lastActivityMs, id]`: opaque to clients, the same as the embedded store's. */
function encodeCursor(at: number, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError(cursor);
  const [at, id]: unknown[] = parsed;
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || typeof id !== 'string') {
    throw new InvalidCursorError(cursor);
  }
  return { at: new Date(at), id };
}
