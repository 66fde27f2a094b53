import { createConnection } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { type MongoStore, openMongoStore } from '../../src/adapters/mongo/store.ts';
import { aConversation, aMessage, aUser, messageRange, uniqueId } from '../contracts/fixtures.ts';
import { describeStoreContract } from '../contracts/store.contract.ts';
import {
  requireMongoUrl,
  servicesAvailable,
  uniqueName,
  withDatabase,
} from '../support/services.ts';

const databases: string[] = [];

/** A store on a database of its own (dropped in afterAll). */
async function freshStore(): Promise<MongoStore> {
  const name = uniqueName('parley-store');
  databases.push(name);
  return openMongoStore(withDatabase(requireMongoUrl(), name));
}

afterAll(async () => {
  if (databases.length === 0) return;
  const admin = await createConnection(requireMongoUrl()).asPromise();
  try {
    for (const name of databases) await admin.useDb(name).dropDatabase();
  } finally {
    await admin.close();
  }
});

describe.runIf(servicesAvailable('mongo'))('MongoDB store', () => {
  // One database for the contract: ids are random, so its tests share it.
  let shared: Promise<string> | null = null;
  describeStoreContract('mongo', async () => {
    shared ??= (async () => {
      const name = uniqueName('parley-store');
      databases.push(name);
      return name;
    })();
    return openMongoStore(withDatabase(requireMongoUrl(), await shared));
  });

  it('creates the unique indexes explicitly', async () => {
    const store = await freshStore();
    try {
      const names = async (collection: string) =>
        (await store.models.messages.db.collection(collection).indexes()).map((index) => ({
          name: index.name,
          unique: index.unique === true,
        }));
      expect(await names('users')).toContainEqual({ name: 'users_email', unique: true });
      expect(await names('messages')).toEqual(
        expect.arrayContaining([
          { name: 'messages_seq', unique: true },
          { name: 'messages_client', unique: true },
        ]),
      );
      expect(await names('conversations')).toContainEqual({
        name: 'conversations_direct',
        unique: true,
      });
    } finally {
      await store.close();
    }
  });

  it('bulk-inserts unordered: a replayed batch counts duplicates and stores each message once', async () => {
    const store = await freshStore();
    try {
      const conversation = aConversation([aUser().id]);
      const first = messageRange(conversation.id, 1, 50);
      expect(await store.messages.insertMany(first.slice(0, 20))).toEqual({
        inserted: 20,
        duplicates: 0,
      });
      // A redelivered batch overlapping what is stored, plus messages without a clientId.
      const systemMessages = [51, 52].map((seq) =>
        aMessage(conversation.id, seq, { clientId: null, kind: 'SYSTEM', senderId: null }),
      );
      expect(await store.messages.insertMany([...first, ...systemMessages])).toEqual({
        inserted: 32,
        duplicates: 20,
      });
      const stored = await store.messages.listAfter(conversation.id, 0, 100);
      expect(stored.map((message) => message.seq)).toEqual(
        Array.from({ length: 52 }, (_, index) => index + 1),
      );
      // The same clientId again under another id and seq is a duplicate, not a second message.
      const retry = aMessage(conversation.id, 60, { clientId: first[0]?.clientId ?? null });
      expect(await store.messages.insertMany([retry])).toEqual({ inserted: 0, duplicates: 1 });
    } finally {
      await store.close();
    }
  });

  it('leases seq ceilings: grants grow, a direct issue forces the next lease above it', async () => {
    const store = await freshStore();
    try {
      const id = uniqueId('conv');
      await store.messages.insertMany(messageRange(id, 1, 7));
      const first = await store.seqLeases.grant(id, null, 100, Date.now() + 1000);
      expect(first).toMatchObject({ base: 7, ceiling: 107 });
      const renewed = await store.seqLeases.grant(id, 50, 100, Date.now() + 1000);
      expect(renewed).toMatchObject({ base: 50, ceiling: 150 });
      const direct = await store.seqLeases.issueDirect(id);
      expect(direct.seq).toBe(151);
      const after = await store.seqLeases.grant(id, 60, 100, Date.now() + 1000);
      expect(after.base).toBe(151);
    } finally {
      await store.close();
    }
  });
});
