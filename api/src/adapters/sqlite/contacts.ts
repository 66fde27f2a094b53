import type { Contact } from '../../domain/model.ts';
import type { ContactRepository } from '../../ports/store.ts';
import type { SqliteDatabase } from './database.ts';
import { date, type Row, text, textOrNull } from './row.ts';

const columns = 'owner_id, user_id, nickname, created_at';

/** One row per (owner, user); re-adding a contact only changes its nickname. */
export function createContactRepository(db: SqliteDatabase): ContactRepository {
  return {
    async upsert(contact) {
      const row = db
        .statement(
          `INSERT INTO contacts (owner_id, user_id, nickname, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (owner_id, user_id) DO UPDATE SET nickname = excluded.nickname
           RETURNING ${columns}`,
        )
        .get(contact.ownerId, contact.userId, contact.nickname, contact.createdAt.getTime());
      if (row === undefined) throw new Error('contact upsert returned no row');
      return toContact(row);
    },

    async find(ownerId, userId) {
      const row = db
        .statement(`SELECT ${columns} FROM contacts WHERE owner_id = ? AND user_id = ?`)
        .get(ownerId, userId);
      return row === undefined ? null : toContact(row);
    },

    async listForOwner(ownerId) {
      return db
        .statement(
          `SELECT ${columns} FROM contacts WHERE owner_id = ? ORDER BY created_at, user_id`,
        )
        .all(ownerId)
        .map(toContact);
    },

    async listOwnersOf(userId) {
      return db
        .statement('SELECT owner_id FROM contacts WHERE user_id = ? ORDER BY owner_id')
        .all(userId)
        .map((row) => text(row, 'owner_id'));
    },
  };
}

function toContact(row: Row): Contact {
  return {
    ownerId: text(row, 'owner_id'),
    userId: text(row, 'user_id'),
    nickname: textOrNull(row, 'nickname'),
    createdAt: date(row, 'created_at'),
  };
}
