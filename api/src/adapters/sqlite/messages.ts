import type { Message } from '../../domain/model.ts';
import type { MessageRepository } from '../../ports/store.ts';
import type { SqliteDatabase } from './database.ts';
import { date, integer, oneOf, type Row, text, textOrNull } from './row.ts';

const kinds = ['USER', 'ASSISTANT', 'SYSTEM'] as const;
const statuses = ['SENT', 'STREAMING', 'COMPLETE', 'FAILED', 'CANCELLED'] as const;

const columns =
  'id, conversation_id, seq, client_id, sender_id, kind, body, status, error, created_at, updated_at';

/** Messages; every write is idempotent because the persistence pipeline replays. */
export function createMessageRepository(db: SqliteDatabase): MessageRepository {
  return {
    async insertMany(messages) {
      if (messages.length === 0) return { inserted: 0, duplicates: 0 };
      // Without a conflict target, DO NOTHING covers every unique index: id, (conversation,
      // seq) and (conversation, clientId). One transaction is one WAL commit for the batch.
      const insert = db.statement(
        `INSERT INTO messages (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      );
      const inserted = db.transaction(() => {
        let count = 0;
        for (const message of messages) {
          const { changes } = insert.run(
            message.id,
            message.conversationId,
            message.seq,
            message.clientId,
            message.senderId,
            message.kind,
            message.body,
            message.status,
            message.error,
            message.createdAt.getTime(),
            message.updatedAt.getTime(),
          );
          count += Number(changes);
        }
        return count;
      });
      return { inserted, duplicates: messages.length - inserted };
    },

    async finalize(message) {
      db.statement(
        `UPDATE messages SET body = ?, status = ?, error = ?, updated_at = ?
         WHERE id = ? AND status = 'STREAMING'`,
      ).run(message.body, message.status, message.error, message.updatedAt.getTime(), message.id);
    },

    async findById(id) {
      const row = db.statement(`SELECT ${columns} FROM messages WHERE id = ?`).get(id);
      return row === undefined ? null : toMessage(row);
    },

    async findByClientId(conversationId, clientId) {
      const row = db
        .statement(`SELECT ${columns} FROM messages WHERE conversation_id = ? AND client_id = ?`)
        .get(conversationId, clientId);
      return row === undefined ? null : toMessage(row);
    },

    async listBefore(conversationId, beforeSeq, limit) {
      const rows =
        beforeSeq === null
          ? db
              .statement(
                `SELECT ${columns} FROM messages WHERE conversation_id = ?
                 ORDER BY seq DESC LIMIT ?`,
              )
              .all(conversationId, limit)
          : db
              .statement(
                `SELECT ${columns} FROM messages WHERE conversation_id = ? AND seq < ?
                 ORDER BY seq DESC LIMIT ?`,
              )
              .all(conversationId, beforeSeq, limit);
      return rows.map(toMessage).reverse();
    },

    async listAfter(conversationId, afterSeq, limit) {
      return db
        .statement(
          `SELECT ${columns} FROM messages WHERE conversation_id = ? AND seq > ?
           ORDER BY seq LIMIT ?`,
        )
        .all(conversationId, afterSeq, limit)
        .map(toMessage);
    },

    async maxSeq(conversationId) {
      const row = db
        .statement('SELECT coalesce(max(seq), 0) AS seq FROM messages WHERE conversation_id = ?')
        .get(conversationId);
      return row === undefined ? 0 : integer(row, 'seq');
    },

    async countUnread(conversationId, readerId, afterSeq) {
      // `IS NOT` so that SYSTEM messages (NULL sender) count as someone else's.
      const row = db
        .statement(
          `SELECT count(*) AS unread FROM messages
           WHERE conversation_id = ? AND seq > ? AND sender_id IS NOT ?`,
        )
        .get(conversationId, afterSeq, readerId);
      return row === undefined ? 0 : integer(row, 'unread');
    },

    async listStaleStreaming(olderThan, limit) {
      return db
        .statement(
          `SELECT ${columns} FROM messages
           WHERE status = 'STREAMING' AND updated_at < ?
           ORDER BY updated_at LIMIT ?`,
        )
        .all(olderThan.getTime(), limit)
        .map(toMessage);
    },
  };
}

function toMessage(row: Row): Message {
  return {
    id: text(row, 'id'),
    conversationId: text(row, 'conversation_id'),
    seq: integer(row, 'seq'),
    clientId: textOrNull(row, 'client_id'),
    senderId: textOrNull(row, 'sender_id'),
    kind: oneOf(row, 'kind', kinds),
    body: text(row, 'body'),
    status: oneOf(row, 'status', statuses),
    error: textOrNull(row, 'error'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
}
