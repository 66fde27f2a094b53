import type { ReadMarkRepository } from '../../ports/store.ts';
import { isMongoCode, type Models, type ReadMarkDoc, rawCollection } from './models.ts';

/**
 * Per (conversation, user) read position; it only ever moves forward. Each advance inserts
 * the seq it reached and the mark is the highest, so concurrent advances cannot lose one
 * (FerretDB 1.x has no atomic `$max`). Lower entries are pruned afterwards.
 */
export function createReadMarkRepository(models: Models): ReadMarkRepository {
  const { readMarks } = models;
  const collection = rawCollection(readMarks);

  async function highest(conversationId: string, userId: string): Promise<number> {
    const [doc] = await readMarks
      .find({ conversationId, userId })
      .sort({ seq: -1 })
      .limit(1)
      .lean<ReadMarkDoc[]>();
    return doc?.seq ?? 0;
  }

  return {
    async advance(mark) {
      const { conversationId, userId, seq } = mark;
      try {
        await collection.insertOne({
          _id: `${conversationId}/${userId}/${seq}`,
          conversationId,
          userId,
          seq,
        });
      } catch (error) {
        if (!isMongoCode(error, 11000)) throw error;
      }
      const reached = await highest(conversationId, userId);
      await collection.deleteMany({ conversationId, userId, seq: { $lt: reached } });
      return reached;
    },

    get: highest,

    async listForConversation(conversationId) {
      const docs = await readMarks.find({ conversationId }).lean<ReadMarkDoc[]>();
      const marks = new Map<string, number>();
      for (const doc of docs) marks.set(doc.userId, Math.max(marks.get(doc.userId) ?? 0, doc.seq));
      return [...marks]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([userId, seq]) => ({ conversationId, userId, seq }));
    },
  };
}
