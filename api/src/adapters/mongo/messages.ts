import { mongo } from 'mongoose';
import type { Message } from '../../domain/model.ts';
import type { InsertManyResult, MessageRepository } from '../../ports/store.ts';
import { type MessageDoc, type Models, rawCollection } from './models.ts';

const DUPLICATE_KEY = 11000;

/** Messages; every write is idempotent because the persistence pipeline replays. */
export function createMessageRepository(models: Models): MessageRepository {
  const { messages } = models;
  const collection = rawCollection(messages);
  return {
    async insertMany(batch) {
      if (batch.length === 0) return { inserted: 0, duplicates: 0 };
      return insertIgnoringDuplicates(collection, batch.map(toDoc));
    },

    async finalize(message) {
      await collection.updateOne(
        { _id: message.id, status: 'STREAMING' },
        {
          $set: {
            body: message.body,
            status: message.status,
            error: message.error,
            updatedAt: message.updatedAt,
          },
        },
      );
    },

    async findById(id) {
      const doc = await messages.findById(id).lean<MessageDoc>();
      return doc ? toMessage(doc) : null;
    },

    async findByClientId(conversationId, clientId) {
      const doc = await messages
        .findOne({ conversationId, clientKey: `c:${clientId}` })
        .lean<MessageDoc>();
      return doc ? toMessage(doc) : null;
    },

    async listBefore(conversationId, beforeSeq, limit) {
      const filter =
        beforeSeq === null ? { conversationId } : { conversationId, seq: { $lt: beforeSeq } };
      const docs = await messages.find(filter).sort({ seq: -1 }).limit(limit).lean<MessageDoc[]>();
      return docs.map(toMessage).reverse();
    },

    async listAfter(conversationId, afterSeq, limit) {
      const docs = await messages
        .find({ conversationId, seq: { $gt: afterSeq } })
        .sort({ seq: 1 })
        .limit(limit)
        .lean<MessageDoc[]>();
      return docs.map(toMessage);
    },

    async maxSeq(conversationId) {
      const [doc] = await messages
        .find({ conversationId })
        .sort({ seq: -1 })
        .limit(1)
        .lean<MessageDoc[]>();
      return doc?.seq ?? 0;
    },

    async countUnread(conversationId, readerId, afterSeq) {
      // $ne also matches null, so SYSTEM messages count as someone else's.
      return messages.countDocuments({
        conversationId,
        seq: { $gt: afterSeq },
        senderId: { $ne: readerId },
      });
    },

    async listStaleStreaming(olderThan, limit) {
      const docs = await messages
        .find({ status: 'STREAMING', updatedAt: { $lt: olderThan } })
        .sort({ updatedAt: 1 })
        .limit(limit)
        .lean<MessageDoc[]>();
      return docs.map(toMessage);
    },
  };
}

/**
 * One unordered bulk insert through the driver (no per-document casting). Every document
 * is attempted; duplicate-key failures mean "already stored" (a replay) and are counted.
 * Every document must come back inserted or duplicate: FerretDB 1.24 was seen to answer
 * n=0 without an error right after a restart, and a short count must not pass as stored.
 */
async function insertIgnoringDuplicates(
  collection: ReturnType<typeof rawCollection<MessageDoc>>,
  docs: MessageDoc[],
): Promise<InsertManyResult> {
  let result: InsertManyResult;
  try {
    const reply = await collection.insertMany(docs, { ordered: false });
    result = { inserted: reply.insertedCount, duplicates: 0 };
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    const others = writeErrors.filter((writeError) => writeError.code !== DUPLICATE_KEY);
    if (others.length > 0) throw error;
    result = { inserted: error.insertedCount, duplicates: writeErrors.length };
  }
  if (result.inserted + result.duplicates !== docs.length) {
    throw new Error(
      `the store accounted for ${result.inserted} inserted and ${result.duplicates} duplicate of ${docs.length} messages`,
    );
  }
  return result;
}

function toDoc(message: Message): MessageDoc {
  return {
    _id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    clientId: message.clientId,
    clientKey: message.clientId === null ? `m:${message.id}` : `c:${message.clientId}`,
    senderId: message.senderId,
    kind: message.kind,
    body: message.body,
    status: message.status,
    error: message.error,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
  };
}

function toMessage(doc: MessageDoc): Message {
  return {
    id: doc._id,
    conversationId: doc.conversationId,
    seq: doc.seq,
    clientId: doc.clientId ?? null,
    senderId: doc.senderId ?? null,
    kind: doc.kind,
    body: doc.body,
    status: doc.status,
    error: doc.error ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
