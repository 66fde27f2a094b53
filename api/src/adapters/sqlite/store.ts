import type { Store } from '../../ports/store.ts';
import { createContactRepository } from './contacts.ts';
import { createConversationRepository } from './conversations.ts';
import { type DatabaseOptions, SqliteDatabase } from './database.ts';
import { createMessageRepository } from './messages.ts';
import { migrate } from './migrations.ts';
import { createReadMarkRepository } from './read-marks.ts';
import { createSessionRepository } from './sessions.ts';
import { createUserRepository } from './users.ts';

/**
 * Defaults: `synchronous=FULL`, because in embedded mode a send is acknowledged only after
 * its batch commits here, and only FULL keeps that commit through a power loss (NORMAL in
 * WAL mode may lose the last commits). Group commit amortises the extra fsync per batch.
 */
const defaults: DatabaseOptions = { synchronous: 'FULL', busyTimeoutMs: 5_000 };

/**
 * Opens (creating and migrating as needed) the embedded store at `path`, e.g.
 * `${DATA_DIR}/parley.db`. `close()` checkpoints the WAL into the main file.
 */
export async function openSqliteStore(
  path: string,
  options: Partial<DatabaseOptions> = {},
): Promise<Store> {
  const db = new SqliteDatabase(path, { ...defaults, ...options });
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    users: createUserRepository(db),
    contacts: createContactRepository(db),
    conversations: createConversationRepository(db),
    messages: createMessageRepository(db),
    sessions: createSessionRepository(db),
    readMarks: createReadMarkRepository(db),
    async ping() {
      db.statement('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };
}
