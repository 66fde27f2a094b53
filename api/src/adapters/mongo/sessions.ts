import type { Session } from '../../domain/model.ts';
import type { SessionRepository } from '../../ports/store.ts';
import { mapDuplicateKey } from './errors.ts';
import {
  isMongoCode,
  type MarkerDoc,
  type Models,
  rawCollection,
  type SessionDoc,
} from './models.ts';

/**
 * Refresh-token sessions. A session document is written once; a rotation is an insert
 * keyed by the session id and a revocation one keyed by the family id, so exactly one of
 * concurrent refreshes wins even on FerretDB, whose updates are not atomic.
 */
export function createSessionRepository(models: Models): SessionRepository {
  const { sessions, sessionRotations, familyRevocations } = models;
  const rotations = rawCollection(sessionRotations);
  const revocations = rawCollection(familyRevocations);

  async function withMarkers(doc: SessionDoc): Promise<Session> {
    const [rotation, revocation] = await Promise.all([
      sessionRotations.findById(doc._id).lean<MarkerDoc>(),
      familyRevocations.findById(doc.familyId).lean<MarkerDoc>(),
    ]);
    return {
      id: doc._id,
      familyId: doc.familyId,
      userId: doc.userId,
      tokenHash: doc.tokenHash,
      createdAt: doc.createdAt,
      expiresAt: doc.expiresAt,
      rotatedAt: rotation?.at ?? doc.rotatedAt ?? null,
      revokedAt: revocation?.at ?? doc.revokedAt ?? null,
    };
  }

  /** Inserts a marker; false when one with that id exists (someone else was first). */
  async function firstMarker(collection: typeof rotations, id: string, at: Date): Promise<boolean> {
    try {
      await collection.insertOne({ _id: id, at });
      return true;
    } catch (error) {
      if (isMongoCode(error, 11000)) return false;
      throw error;
    }
  }

  return {
    async create(session) {
      await mapDuplicateKey(
        () =>
          rawCollection(sessions).insertOne({
            _id: session.id,
            familyId: session.familyId,
            userId: session.userId,
            tokenHash: session.tokenHash,
            createdAt: session.createdAt,
            expiresAt: session.expiresAt,
            rotatedAt: session.rotatedAt,
            revokedAt: session.revokedAt,
          }),
        { _id: 'id', tokenHash: 'tokenHash' },
        async () =>
          (await sessions.exists({ tokenHash: session.tokenHash })) ? 'tokenHash' : 'id',
      );
    },

    async findByTokenHash(tokenHash) {
      const doc = await sessions.findOne({ tokenHash }).lean<SessionDoc>();
      return doc ? withMarkers(doc) : null;
    },

    async markRotated(id, at) {
      const doc = await sessions.findById(id).lean<SessionDoc>();
      if (!doc) return false;
      const session = await withMarkers(doc);
      if (session.rotatedAt !== null || session.revokedAt !== null) return false;
      return firstMarker(rotations, id, at);
    },

    async revokeFamily(familyId, at) {
      // The first revocation's time is kept when a family is revoked twice.
      await firstMarker(revocations, familyId, at);
    },
  };
}
