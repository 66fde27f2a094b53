import { createConnection } from 'mongoose';
import type { Store } from '../../ports/store.ts';
import { createContactRepository } from './contacts.ts';
import { createConversationRepository } from './conversations.ts';
import { createMessageRepository } from './messages.ts';
import { bindModels, createIndexes, type Models } from './models.ts';
import { createReadMarkRepository } from './read-marks.ts';
import { MongoSeqLeases } from './seq-leases.ts';
import { createSessionRepository } from './sessions.ts';
import { createUserRepository } from './users.ts';

export interface MongoStoreOptions {
  /** How long an operation waits for a reachable server before failing (default 3 s). */
  readonly serverSelectionTimeoutMs?: number;
  /** How long one operation may wait for its reply before it fails (default 15 s). */
  readonly socketTimeoutMs?: number;
}

/** The MongoDB store, plus the seq ceilings the Redis allocator leases from. */
export interface MongoStore extends Store {
  readonly seqLeases: MongoSeqLeases;
  readonly models: Models;
}

/**
 * Connects to MongoDB (or FerretDB), creates the collections and indexes, and returns the
 * store. Operations fail after a few seconds without a server instead of queueing, so the
 * persistence worker backs off and reads fail visibly while the store is down.
 */
export async function openMongoStore(
  url: string,
  options: MongoStoreOptions = {},
): Promise<MongoStore> {
  const connection = createConnection(url, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 3_000,
    // Polling hello every second: after FerretDB restarted, the streaming monitor was seen
    // to stay on the dead connection, failing every operation until the process restarted.
    serverMonitoringMode: 'poll',
    heartbeatFrequencyMS: 1_000,
    // An operation a restarting FerretDB never answers fails instead of hanging its caller
    // (the persistence worker would otherwise wait on that partition forever).
    socketTimeoutMS: options.socketTimeoutMs ?? 15_000,
    // The default (30 s) also bounds a heartbeat; one stuck on a FerretDB that was stopping
    // left an API failing every operation long after FerretDB was back.
    connectTimeoutMS: 5_000,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
  });
  try {
    await connection.asPromise();
    const models = bindModels(connection);
    await createIndexes(models);
    const messages = createMessageRepository(models);
    return {
      models,
      users: createUserRepository(models),
      contacts: createContactRepository(models),
      conversations: createConversationRepository(models),
      messages,
      sessions: createSessionRepository(models),
      readMarks: createReadMarkRepository(models),
      seqLeases: new MongoSeqLeases(models, messages),
      async ping() {
        const db = connection.db;
        if (!db) throw new Error('MongoDB connection is not open');
        await db.command({ ping: 1 });
      },
      async close() {
        await connection.close();
      },
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw new Error(`cannot open the MongoDB store: ${String(error)}`, { cause: error });
  }
}
