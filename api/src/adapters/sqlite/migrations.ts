import type { SqliteDatabase } from './database.ts';
import { integer, type Row } from './row.ts';

/** One schema step. Migrations are append-only: never edit one that has shipped. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The schema, in order. Dates are epoch milliseconds; emails and folded names are lower case. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        email         TEXT NOT NULL,
        name          TEXT NOT NULL,
        name_folded   TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at    INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX users_email ON users (email);

      CREATE TABLE contacts (
        owner_id   TEXT NOT NULL REFERENCES users (id),
        user_id    TEXT NOT NULL REFERENCES users (id),
        nickname   TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (owner_id, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX contacts_user ON contacts (user_id);

      CREATE TABLE conversations (
        id               TEXT PRIMARY KEY,
        kind             TEXT NOT NULL CHECK (kind IN ('DIRECT', 'GROUP')),
        title            TEXT,
        direct_key       TEXT,
        created_at       INTEGER NOT NULL,
        last_activity_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX conversations_direct_key ON conversations (direct_key);

      CREATE TABLE conversation_members (
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        member_id       TEXT NOT NULL REFERENCES users (id),
        position        INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, member_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX conversation_members_member ON conversation_members (member_id);

      CREATE TABLE messages (
        id              TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        seq             INTEGER NOT NULL,
        client_id       TEXT,
        sender_id       TEXT,
        kind            TEXT NOT NULL CHECK (kind IN ('USER', 'ASSISTANT', 'SYSTEM')),
        body            TEXT NOT NULL,
        status          TEXT NOT NULL
          CHECK (status IN ('SENT', 'STREAMING', 'COMPLETE', 'FAILED', 'CANCELLED')),
        error           TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX messages_conversation_seq ON messages (conversation_id, seq);
      -- NULL client ids never collide: SQLite treats NULLs as distinct in unique indexes.
      CREATE UNIQUE INDEX messages_conversation_client_id ON messages (conversation_id, client_id);
      CREATE INDEX messages_streaming ON messages (updated_at) WHERE status = 'STREAMING';

      CREATE TABLE sessions (
        id         TEXT PRIMARY KEY,
        family_id  TEXT NOT NULL,
        user_id    TEXT NOT NULL REFERENCES users (id),
        token_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        rotated_at INTEGER,
        revoked_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX sessions_token_hash ON sessions (token_hash);
      CREATE INDEX sessions_family ON sessions (family_id);

      CREATE TABLE read_marks (
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        user_id         TEXT NOT NULL REFERENCES users (id),
        seq             INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, user_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
];

/**
 * Applies every migration newer than the database, each in its own transaction, recording
 * it in `schema_migrations` and `user_version`. Returns the versions it applied; safe to
 * run on every open, and by two processes at once (the write lock serialises them).
 */
export function migrate(db: SqliteDatabase, steps: readonly Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const latestKnown = steps.at(-1)?.version ?? 0;
  const current = appliedVersion(db);
  if (current > latestKnown) {
    throw new Error(
      `database schema is at version ${current}, newer than this build knows (${latestKnown})`,
    );
  }
  const applied: number[] = [];
  for (const step of steps) {
    const didApply = db.transaction(() => {
      if (appliedVersion(db) >= step.version) return false;
      db.exec(step.sql);
      db.statement(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
      ).run(step.version, step.name, Date.now());
      db.exec(`PRAGMA user_version = ${step.version}`);
      return true;
    });
    if (didApply) applied.push(step.version);
  }
  return applied;
}

function appliedVersion(db: SqliteDatabase): number {
  const row: Row | undefined = db
    .statement('SELECT coalesce(max(version), 0) AS version FROM schema_migrations')
    .get();
  return row === undefined ? 0 : integer(row, 'version');
}
