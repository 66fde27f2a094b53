import type { Conversation } from '../../domain/model.ts';
import { type ConversationRepository, InvalidCursorError } from '../../ports/store.ts';
import type { SqliteDatabase } from './database.ts';
import { mapUniqueViolation } from './errors.ts';
import { date, oneOf, type Row, text, textArray, textOrNull } from './row.ts';

const kinds = ['DIRECT', 'GROUP'] as const;

/** Member ids in their original order, folded into one column so a page is one query. */
const selectConversation = `
  SELECT c.id, c.kind, c.title, c.direct_key, c.created_at, c.last_activity_at,
    (SELECT json_group_array(member_id)
       FROM (SELECT member_id FROM conversation_members
              WHERE conversation_id = c.id ORDER BY position)) AS member_ids
  FROM conversations c`;

/** Conversations and their membership; the list is ordered by (lastActivityAt, id) descending. */
export function createConversationRepository(db: SqliteDatabase): ConversationRepository {
  /**
   * Touches asked for in one tick (the persistence worker sends one per conversation of a
   * batch) are written in one transaction: alone, each would commit, and sync the WAL, on
   * its own, blocking the event loop every time.
   */
  const touches = new Map<string, number>();
  let flush: Promise<void> | null = null;
  const writeTouches = () => {
    flush = null;
    const batch = [...touches];
    touches.clear();
    db.transaction(() => {
      const update = db.statement(
        'UPDATE conversations SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?',
      );
      for (const [id, at] of batch) update.run(at, id, at);
    });
  };
  return {
    async create(conversation) {
      mapUniqueViolation(() =>
        db.transaction(() => {
          db.statement(
            `INSERT INTO conversations (id, kind, title, direct_key, created_at, last_activity_at)
             VALUES (?, ?, ?, ?, ?, ?)`,
          ).run(
            conversation.id,
            conversation.kind,
            conversation.title,
            conversation.directKey,
            conversation.createdAt.getTime(),
            conversation.lastActivityAt.getTime(),
          );
          const addMember = db.statement(
            'INSERT INTO conversation_members (conversation_id, member_id, position) VALUES (?, ?, ?)',
          );
          conversation.memberIds.forEach((memberId, position) => {
            addMember.run(conversation.id, memberId, position);
          });
        }),
      );
    },

    async findById(id) {
      const row = db.statement(`${selectConversation} WHERE c.id = ?`).get(id);
      return row === undefined ? null : toConversation(row);
    },

    async findByDirectKey(directKey) {
      const row = db.statement(`${selectConversation} WHERE c.direct_key = ?`).get(directKey);
      return row === undefined ? null : toConversation(row);
    },

    async listForMember(memberId, first, after) {
      const membership = `JOIN conversation_members m ON m.conversation_id = c.id AND m.member_id = :member`;
      const order = 'ORDER BY c.last_activity_at DESC, c.id DESC LIMIT :limit';
      // One extra row tells whether another page exists.
      const limit = first + 1;
      const rows =
        after === null
          ? db
              .statement(`${selectConversation} ${membership} ${order}`)
              .all({ member: memberId, limit })
          : db
              .statement(
                `${selectConversation} ${membership}
                 WHERE c.last_activity_at < :at OR (c.last_activity_at = :at AND c.id < :id)
                 ${order}`,
              )
              .all({ member: memberId, limit, ...decodeCursor(after) });
      const items = rows.slice(0, first).map(toConversation);
      return { items, hasMore: rows.length > first };
    },

    cursorOf(conversation) {
      return encodeCursor(conversation.lastActivityAt.getTime(), conversation.id);
    },

    touch(id, at) {
      touches.set(id, Math.max(touches.get(id) ?? 0, at.getTime()));
      flush ??= Promise.resolve().then(writeTouches);
      return flush;
    },
  };
}

function toConversation(row: Row): Conversation {
  return {
    id: text(row, 'id'),
    kind: oneOf(row, 'kind', kinds),
    title: textOrNull(row, 'title'),
    memberIds: textArray(row, 'member_ids'),
    directKey: textOrNull(row, 'direct_key'),
    createdAt: date(row, 'created_at'),
    lastActivityAt: date(row, 'last_activity_at'),
  };
}

/** The cursor is base64url JSON `[lastActivityMs, id]`: opaque to clients, stable across restarts. */
function encodeCursor(at: number, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: number; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError(cursor);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError(cursor);
  const [at, id]: unknown[] = parsed;
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || typeof id !== 'string') {
    throw new InvalidCursorError(cursor);
  }
  return { at, id };
}
