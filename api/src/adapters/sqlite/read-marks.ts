import type { ReadMarkRepository } from '../../ports/store.ts';
import type { SqliteDatabase } from './database.ts';
import { integer, text } from './row.ts';

/** Per (conversation, user) read position; it only ever moves forward. */
export function createReadMarkRepository(db: SqliteDatabase): ReadMarkRepository {
  return {
    async advance(mark) {
      const row = db
        .statement(
          `INSERT INTO read_marks (conversation_id, user_id, seq) VALUES (?, ?, ?)
           ON CONFLICT (conversation_id, user_id) DO UPDATE SET seq = max(seq, excluded.seq)
           RETURNING seq`,
        )
        .get(mark.conversationId, mark.userId, mark.seq);
      if (row === undefined) throw new Error('read mark upsert returned no row');
      return integer(row, 'seq');
    },

    async get(conversationId, userId) {
      const row = db
        .statement('SELECT seq FROM read_marks WHERE conversation_id = ? AND user_id = ?')
        .get(conversationId, userId);
      return row === undefined ? 0 : integer(row, 'seq');
    },

    async listForConversation(conversationId) {
      return db
        .statement('SELECT user_id, seq FROM read_marks WHERE conversation_id = ? ORDER BY user_id')
        .all(conversationId)
        .map((row) => ({ conversationId, userId: text(row, 'user_id'), seq: integer(row, 'seq') }));
    },
  };
}
