import mongoose from 'mongoose';

/** One stored message as the watcher reads it. */
export interface StoredMessage {
  readonly conversationId: string;
  readonly seq: number;
  readonly clientId: string | null;
}

interface MessageDoc {
  _id: string;
  conversationId: string;
  seq: number;
  clientId: string | null;
}

/** Reads Parley's `messages` collection with the raw driver (never through the API). */
export interface StoreWatch {
  /** Messages of `conversationId` with seq above `afterSeq`, for each pair asked. */
  newer(floors: ReadonlyMap<string, number>): Promise<StoredMessage[]>;
  /** Every stored message of these conversations. */
  all(conversationIds: readonly string[]): Promise<StoredMessage[]>;
  close(): Promise<void>;
}

/** Connects to the database in `mongoUrl` (the one the API under test writes to). */
export async function openStoreWatch(mongoUrl: string): Promise<StoreWatch> {
  const client = new mongoose.mongo.MongoClient(mongoUrl);
  await client.connect();
  const messages = client.db().collection<MessageDoc>('messages');
  const projection = { _id: 0, conversationId: 1, seq: 1, clientId: 1 } as const;
  const read = async (filter: mongoose.mongo.Filter<MessageDoc>) =>
    (await messages.find(filter, { projection }).toArray()).map((doc) => ({
      conversationId: doc.conversationId,
      seq: doc.seq,
      clientId: doc.clientId,
    }));
  return {
    async newer(floors) {
      if (floors.size === 0) return [];
      return read({
        $or: [...floors].map(([conversationId, afterSeq]) => ({
          conversationId,
          seq: { $gt: afterSeq },
        })),
      });
    },
    all(conversationIds) {
      return read({ conversationId: { $in: [...conversationIds] } });
    },
    close: () => client.close(),
  };
}
