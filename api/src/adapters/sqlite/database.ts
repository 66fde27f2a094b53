import { DatabaseSync, type StatementSync } from 'node:sqlite';

/** `FULL` syncs the WAL on every commit, so a committed batch survives power loss, not just a crash. */
export type SynchronousMode = 'FULL' | 'NORMAL';

export interface DatabaseOptions {
  readonly synchronous: SynchronousMode;
  /** How long a writer waits for another connection's lock before failing. */
  readonly busyTimeoutMs: number;
}

/** One `node:sqlite` connection with the pragmas we rely on, cached statements and transactions. */
export class SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(path: string, options: DatabaseOptions) {
    this.#db = new DatabaseSync(path, {
      enableForeignKeyConstraints: true,
      timeout: options.busyTimeoutMs,
    });
    const mode = this.pragma('journal_mode = WAL');
    if (path !== ':memory:' && mode !== 'wal') {
      this.#db.close();
      throw new Error(`SQLite refused WAL mode for ${path} (journal_mode=${String(mode)})`);
    }
    this.#db.exec(`PRAGMA synchronous = ${options.synchronous}`);
    this.#db.exec('PRAGMA foreign_keys = ON');
  }

  /** A prepared statement, compiled once per SQL text. */
  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs statements that take no parameters (DDL, pragmas). */
  exec(sql: string): void {
    this.#db.exec(sql);
  }

  /** The first column of a pragma's first row. */
  pragma(body: string): unknown {
    const row = this.#db.prepare(`PRAGMA ${body}`).get();
    return row === undefined ? undefined : Object.values(row)[0];
  }

  /**
   * Runs `work` in one write transaction. `work` is synchronous, so no other caller can
   * interleave with it on this connection; IMMEDIATE takes the write lock up front so a
   * second process waits on busy_timeout instead of failing mid-transaction.
   */
  transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      // SQLite may already have rolled back (e.g. on SQLITE_FULL); keep the original error.
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  get isOpen(): boolean {
    return this.#db.isOpen;
  }

  /** Folds the WAL back into the main file, then closes. */
  close(): void {
    if (!this.#db.isOpen) return;
    this.#statements.clear();
    this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    this.#db.exec('PRAGMA optimize');
    this.#db.close();
  }
}
