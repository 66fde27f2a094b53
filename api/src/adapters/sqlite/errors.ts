import { UniqueViolationError } from '../../ports/store.ts';

/** SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY. */
const uniqueErrcodes = new Set([2067, 1555]);

/** Port field names for each unique column (`UNIQUE constraint failed: table.column`). */
const fieldsByColumn: Readonly<Record<string, string>> = {
  'users.id': 'id',
  'users.email': 'email',
  'conversations.id': 'id',
  'conversations.direct_key': 'directKey',
  'conversation_members.conversation_id': 'memberIds',
  'sessions.id': 'id',
  'sessions.token_hash': 'tokenHash',
};

/** Runs `write`, turning a unique-constraint failure into the port's `UniqueViolationError`. */
export function mapUniqueViolation<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw toUniqueViolation(error) ?? error;
  }
}

function toUniqueViolation(error: unknown): UniqueViolationError | null {
  if (!(error instanceof Error) || !('errcode' in error)) return null;
  if (typeof error.errcode !== 'number' || !uniqueErrcodes.has(error.errcode)) return null;
  const column = /UNIQUE constraint failed: ([\w.]+)/.exec(error.message)?.[1] ?? 'unknown';
  return new UniqueViolationError(fieldsByColumn[column] ?? column);
}
