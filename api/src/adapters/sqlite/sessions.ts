import type { Session } from '../../domain/model.ts';
import type { SessionRepository } from '../../ports/store.ts';
import type { SqliteDatabase } from './database.ts';
import { mapUniqueViolation } from './errors.ts';
import { date, dateOrNull, msOrNull, type Row, text } from './row.ts';

const columns =
  'id, family_id, user_id, token_hash, created_at, expires_at, rotated_at, revoked_at';

/** Refresh-token sessions; rotation is a conditional UPDATE so exactly one refresh wins. */
export function createSessionRepository(db: SqliteDatabase): SessionRepository {
  return {
    async create(session) {
      mapUniqueViolation(() =>
        db
          .statement(`INSERT INTO sessions (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(
            session.id,
            session.familyId,
            session.userId,
            session.tokenHash,
            session.createdAt.getTime(),
            session.expiresAt.getTime(),
            msOrNull(session.rotatedAt),
            msOrNull(session.revokedAt),
          ),
      );
    },

    async findByTokenHash(tokenHash) {
      const row = db
        .statement(`SELECT ${columns} FROM sessions WHERE token_hash = ?`)
        .get(tokenHash);
      return row === undefined ? null : toSession(row);
    },

    async markRotated(id, at) {
      const { changes } = db
        .statement(
          `UPDATE sessions SET rotated_at = ?
           WHERE id = ? AND rotated_at IS NULL AND revoked_at IS NULL`,
        )
        .run(at.getTime(), id);
      return Number(changes) === 1;
    },

    async revokeFamily(familyId, at) {
      // Keeps the first revocation time when a family is revoked twice.
      db.statement(
        'UPDATE sessions SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
      ).run(at.getTime(), familyId);
    },
  };
}

function toSession(row: Row): Session {
  return {
    id: text(row, 'id'),
    familyId: text(row, 'family_id'),
    userId: text(row, 'user_id'),
    tokenHash: text(row, 'token_hash'),
    createdAt: date(row, 'created_at'),
    expiresAt: date(row, 'expires_at'),
    rotatedAt: dateOrNull(row, 'rotated_at'),
    revokedAt: dateOrNull(row, 'revoked_at'),
  };
}
