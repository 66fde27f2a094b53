import type { Contact } from '../../domain/model.ts';
import type { ContactRepository } from '../../ports/store.ts';
import { type ContactDoc, isMongoCode, type Models, rawCollection } from './models.ts';

/** One document per (owner, user); re-adding a contact only changes its nickname. */
export function createContactRepository(models: Models): ContactRepository {
  const { contacts } = models;
  return {
    async upsert(contact) {
      const _id = `${contact.ownerId}/${contact.userId}`;
      const update = {
        $set: { nickname: contact.nickname },
        $setOnInsert: {
          ownerId: contact.ownerId,
          userId: contact.userId,
          createdAt: contact.createdAt,
        },
      };
      try {
        await rawCollection(contacts).updateOne({ _id }, update, { upsert: true });
      } catch (error) {
        // Two first upserts raced to insert; the loser's update now finds the document.
        if (!isMongoCode(error, 11000)) throw error;
        await rawCollection(contacts).updateOne({ _id }, update);
      }
      const doc = await contacts.findById(_id).lean<ContactDoc>();
      if (!doc) throw new Error(`contact ${_id} vanished after its upsert`);
      return toContact(doc);
    },

    async find(ownerId, userId) {
      const doc = await contacts.findById(`${ownerId}/${userId}`).lean<ContactDoc>();
      return doc ? toContact(doc) : null;
    },

    async listForOwner(ownerId) {
      const docs = await contacts
        .find({ ownerId })
        .sort({ createdAt: 1, userId: 1 })
        .lean<ContactDoc[]>();
      return docs.map(toContact);
    },

    async listOwnersOf(userId) {
      const docs = await contacts.find({ userId }).sort({ ownerId: 1 }).lean<ContactDoc[]>();
      return docs.map((doc) => doc.ownerId);
    },
  };
}

function toContact(doc: ContactDoc): Contact {
  return {
    ownerId: doc.ownerId,
    userId: doc.userId,
    nickname: doc.nickname ?? null,
    createdAt: doc.createdAt,
  };
}
