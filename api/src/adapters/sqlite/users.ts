import type { User, UserId } from '../../domain/model.ts';
import type { UserRepository } from '../../ports/store.ts';
import type { SqliteDatabase } from './database.ts';
import { mapUniqueViolation } from './errors.ts';
import { date, type Row, text } from './row.ts';

const columns = 'id, email, name, password_hash, created_at';

/** Users; emails are stored and matched lower-cased. */
export function createUserRepository(db: SqliteDatabase): UserRepository {
  return {
    async create(user) {
      mapUniqueViolation(() =>
        db
          .statement(
            'INSERT INTO users (id, email, name, name_folded, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(
            user.id,
            user.email.toLowerCase(),
            user.name,
            user.name.toLowerCase(),
            user.passwordHash,
            user.createdAt.getTime(),
          ),
      );
    },

    async findById(id) {
      const row = db.statement(`SELECT ${columns} FROM users WHERE id = ?`).get(id);
      return row === undefined ? null : toUser(row);
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const rows = db
        .statement(`SELECT ${columns} FROM users WHERE id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids));
      return rows.map(toUser);
    },

    async findByEmail(email) {
      const row = db
        .statement(`SELECT ${columns} FROM users WHERE email = ?`)
        .get(email.toLowerCase());
      return row === undefined ? null : toUser(row);
    },

    async search(query, limit, excludeId: UserId) {
      const folded = query.toLowerCase();
      // Email prefix, or the prefix of any space-separated word of the name; instr/substr
      // compare literally, so `%` and `_` in a query need no escaping.
      const rows = db
        .statement(
          `SELECT ${columns} FROM users
           WHERE id != :exclude
             AND (substr(email, 1, length(:query)) = :query
                  OR instr(' ' || name_folded, ' ' || :query) > 0)
           ORDER BY name_folded, id
           LIMIT :limit`,
        )
        .all({ exclude: excludeId, query: folded, limit });
      return rows.map(toUser);
    },
  };
}

function toUser(row: Row): User {
  return {
    id: text(row, 'id'),
    email: text(row, 'email'),
    name: text(row, 'name'),
    passwordHash: text(row, 'password_hash'),
    createdAt: date(row, 'created_at'),
  };
}
