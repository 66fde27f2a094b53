import { UniqueViolationError } from '../../ports/store.ts';
import { isMongoCode } from './models.ts';

/**
 * Runs `write`, turning a duplicate-key error (11000) into the port's `UniqueViolationError`.
 * MongoDB names the clashing field (`keyPattern`); FerretDB 1.x does not, so `classify`
 * then finds out by looking (e.g. "is the email taken?") and returns the port's field name.
 */
export async function mapDuplicateKey<T>(
  write: () => Promise<T>,
  fieldsByKey: Readonly<Record<string, string>>,
  classify: () => Promise<string>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isMongoCode(error, 11000)) throw error;
    const key = keyOf(error);
    const field = key === null ? await classify() : (fieldsByKey[key] ?? key);
    throw new UniqueViolationError(field);
  }
}

/** The first field of the clashing index, when the server says (MongoDB does). */
function keyOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('keyPattern' in error)) return null;
  const pattern = error.keyPattern;
  if (typeof pattern !== 'object' || pattern === null) return null;
  return Object.keys(pattern)[0] ?? null;
}
