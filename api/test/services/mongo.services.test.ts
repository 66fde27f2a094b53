import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  requireMongoUrl,
  servicesAvailable,
  uniqueName,
  withDatabase,
} from '../support/services.ts';

interface Member {
  email: string;
  rank: number;
}

const memberSchema = new mongoose.Schema<Member>({
  email: { type: String, required: true, unique: true },
  rank: { type: Number, required: true },
});

describe.skipIf(!servicesAvailable('mongo'))('MongoDB-compatible service (real mongoose)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(withDatabase(requireMongoUrl(), uniqueName('mongo-proof')))
      .asPromise();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('enforces a unique index: an unordered insertMany stores all but the one duplicate', async () => {
    const Members = connection.model('Member', memberSchema);
    await Members.createIndexes();
    const indexes = await Members.collection.indexes();
    expect(indexes.find((index) => index.key['email'] === 1)?.unique).toBe(true);

    const docs = [1, 2, 3, 4, 5].map((rank) => ({ email: `m${rank}@example.test`, rank }));
    const duplicate = { email: 'm3@example.test', rank: 99 };
    const error: unknown = await Members.insertMany([...docs, duplicate], { ordered: false }).then(
      () => null,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(mongoose.mongo.MongoBulkWriteError);
    if (!(error instanceof mongoose.mongo.MongoBulkWriteError)) return;
    expect(error.code).toBe(11000);
    // Mongoose 8 reshapes the driver's WriteError objects into `{ index, err }`.
    const writeErrors = [error.writeErrors].flat();
    expect(writeErrors).toHaveLength(1);
    expect(writeErrors[0]).toMatchObject({ index: 5, err: { code: 11000 } });
    expect(await Members.countDocuments()).toBe(5);
    expect((await Members.findOne({ email: 'm3@example.test' }).lean())?.rank).toBe(3);
  });

  it('returns a sorted, limited find', async () => {
    const Members = connection.model('Member', memberSchema);
    const top = await Members.find({}, { _id: 0, rank: 1 }).sort({ rank: -1 }).limit(3).lean();
    expect(top.map((member) => member.rank)).toEqual([5, 4, 3]);
  });
});
