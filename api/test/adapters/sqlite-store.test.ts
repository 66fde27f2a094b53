import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDatabase } from '../../src/adapters/sqlite/database.ts';
import { migrate, migrations } from '../../src/adapters/sqlite/migrations.ts';
import { openSqliteStore } from '../../src/adapters/sqlite/store.ts';
import {
  aConversation,
  aMessage,
  aSession,
  at,
  aUser,
  messageRange,
  uniqueId,
} from '../contracts/fixtures.ts';
import { describeStoreContract } from '../contracts/store.contract.ts';

const dirs: string[] = [];

async function freshPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-sqlite-'));
  dirs.push(dir);
  return join(dir, 'parley.db');
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeStoreContract('sqlite', async () => openSqliteStore(await freshPath()));

describe('sqlite store on disk', () => {
  it('keeps everything across a close and reopen of the same file', async () => {
    const path = await freshPath();
    const before = await openSqliteStore(path);
    const user = aUser();
    const friend = aUser();
    await before.users.create(user);
    await before.users.create(friend);
    const contact = { ownerId: user.id, userId: friend.id, nickname: 'F', createdAt: at(1) };
    await before.contacts.upsert(contact);
    const conversation = aConversation([user.id, friend.id], { lastActivityAt: at(5) });
    await before.conversations.create(conversation);
    const messages = messageRange(conversation.id, 1, 3);
    await before.messages.insertMany(messages);
    const session = aSession(user.id);
    await before.sessions.create(session);
    await before.sessions.markRotated(session.id, at(7));
    await before.readMarks.advance({ conversationId: conversation.id, userId: user.id, seq: 2 });
    await before.close();

    const after = await openSqliteStore(path);
    try {
      expect(await after.users.findByEmail(user.email)).toEqual(user);
      expect(await after.contacts.listForOwner(user.id)).toEqual([contact]);
      expect((await after.conversations.listForMember(user.id, 10, null)).items).toEqual([
        conversation,
      ]);
      expect(await after.messages.listAfter(conversation.id, 0, 10)).toEqual(messages);
      expect(await after.sessions.findByTokenHash(session.tokenHash)).toEqual({
        ...session,
        rotatedAt: at(7),
      });
      expect(await after.readMarks.get(conversation.id, user.id)).toBe(2);
    } finally {
      await after.close();
    }
  });

  it('runs in WAL mode with synchronous=FULL and foreign keys on', async () => {
    const db = new SqliteDatabase(await freshPath(), { synchronous: 'FULL', busyTimeoutMs: 1000 });
    try {
      expect(db.pragma('journal_mode')).toBe('wal');
      expect(db.pragma('synchronous')).toBe(2);
      expect(db.pragma('foreign_keys')).toBe(1);
      expect(db.pragma('busy_timeout')).toBe(1000);
    } finally {
      db.close();
    }
  });

  it('checkpoints the WAL into the main file on close', async () => {
    const path = await freshPath();
    const store = await openSqliteStore(path);
    await store.users.create(aUser());
    expect((await stat(`${path}-wal`)).size).toBeGreaterThan(0);
    await store.close();
    const wal = await stat(`${path}-wal`).catch(() => null);
    expect(wal === null || wal.size === 0).toBe(true);
  });

  it('applies migrations once: reopening applies none and keeps the recorded version', async () => {
    const path = await freshPath();
    const db = new SqliteDatabase(path, { synchronous: 'FULL', busyTimeoutMs: 1000 });
    try {
      expect(migrate(db)).toEqual(migrations.map((migration) => migration.version));
      expect(migrate(db)).toEqual([]);
      expect(db.pragma('user_version')).toBe(migrations.at(-1)?.version);
    } finally {
      db.close();
    }
    const reopened = await openSqliteStore(path);
    await reopened.close();
    const check = new DatabaseSync(path);
    try {
      const rows = check.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
      expect(rows.map((row) => row['version'])).toEqual(migrations.map((m) => m.version));
    } finally {
      check.close();
    }
  });

  it('refuses a database migrated by a newer build', async () => {
    const path = await freshPath();
    const db = new SqliteDatabase(path, { synchronous: 'FULL', busyTimeoutMs: 1000 });
    const future = { version: 999, name: 'from the future', sql: 'CREATE TABLE later (x INTEGER)' };
    migrate(db, [...migrations, future]);
    db.close();
    await expect(openSqliteStore(path)).rejects.toThrow(/version 999/);
  });

  it('creates the indexes the queries rely on', async () => {
    const path = await freshPath();
    await (await openSqliteStore(path)).close();
    const check = new DatabaseSync(path);
    try {
      const indexes = check
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        .all();
      const byName = new Map(indexes.map((row) => [row['name'], String(row['sql'])]));
      expect(byName.get('users_email')).toMatch(/UNIQUE INDEX users_email ON users \(email\)/);
      expect(byName.get('conversations_direct_key')).toMatch(/UNIQUE/);
      expect(byName.get('conversation_members_member')).toMatch(/\(member_id\)/);
      expect(byName.get('messages_conversation_seq')).toMatch(/UNIQUE.*\(conversation_id, seq\)/);
      expect(byName.get('messages_conversation_client_id')).toMatch(
        /UNIQUE.*\(conversation_id, client_id\)/,
      );
      expect(byName.get('sessions_token_hash')).toMatch(/UNIQUE/);
      expect(byName.get('sessions_family')).toMatch(/\(family_id\)/);
      expect(byName.get('contacts_user')).toMatch(/\(user_id\)/);
      const plan = check
        .prepare('EXPLAIN QUERY PLAN SELECT * FROM messages WHERE conversation_id = ? AND seq < ?')
        .all('c', 1)
        .map((row) => String(row['detail']));
      expect(plan.join('\n')).toMatch(/messages_conversation_seq/);
    } finally {
      check.close();
    }
  });

  it('rejects a message for an unknown conversation (foreign keys are enforced)', async () => {
    const store = await openSqliteStore(await freshPath());
    try {
      await expect(
        store.messages.insertMany([aMessage(uniqueId('no-such-conversation'), 1)]),
      ).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await store.close();
    }
  });
});
