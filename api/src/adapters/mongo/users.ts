import type { User } from '../../domain/model.ts';
import type { UserRepository } from '../../ports/store.ts';
import { mapDuplicateKey } from './errors.ts';
import { type Models, rawCollection, type UserDoc } from './models.ts';

/** Users; emails are stored and matched lower-cased. */
export function createUserRepository(models: Models): UserRepository {
  const { users } = models;
  return {
    async create(user) {
      const email = user.email.toLowerCase();
      await mapDuplicateKey(
        () =>
          rawCollection(users).insertOne({
            _id: user.id,
            email,
            name: user.name,
            nameFolded: user.name.toLowerCase(),
            passwordHash: user.passwordHash,
            createdAt: user.createdAt,
          }),
        { _id: 'id', email: 'email' },
        async () => ((await users.exists({ email })) ? 'email' : 'id'),
      );
    },

    async findById(id) {
      const doc = await users.findById(id).lean<UserDoc>();
      return doc ? toUser(doc) : null;
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const docs = await users.find({ _id: { $in: [...ids] } }).lean<UserDoc[]>();
      return docs.map(toUser);
    },

    async findByEmail(email) {
      const doc = await users.findOne({ email: email.toLowerCase() }).lean<UserDoc>();
      return doc ? toUser(doc) : null;
    },

    async search(query, limit, excludeId) {
      const folded = escapeRegex(query.toLowerCase());
      // Email prefix, or the prefix of any space-separated word of the name.
      const docs = await users
        .find({
          _id: { $ne: excludeId },
          $or: [{ email: { $regex: `^${folded}` } }, { nameFolded: { $regex: `(^| )${folded}` } }],
        })
        .sort({ nameFolded: 1, _id: 1 })
        .limit(limit)
        .lean<UserDoc[]>();
      return docs.map(toUser);
    },
  };
}

function toUser(doc: UserDoc): User {
  return {
    id: doc._id,
    email: doc.email,
    name: doc.name,
    passwordHash: doc.passwordHash,
    createdAt: doc.createdAt,
  };
}

/** Makes `text` match literally inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
