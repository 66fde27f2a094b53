/** Keys whose ISO string values are Dates in the domain records (see `domain/model.ts`). */
const DATE_KEYS = new Set(['createdAt', 'updatedAt', 'lastActivityAt', 'expiresAt']);

/** `JSON.parse` reviver that turns the domain's date fields back into Dates. */
export function reviveDates(key: string, value: unknown): unknown {
  if (typeof value === 'string' && DATE_KEYS.has(key)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return value;
}

/** Parses JSON written by `JSON.stringify` from a domain record, reviving its Dates. */
export function parseWithDates(text: string): unknown {
  return JSON.parse(text, reviveDates);
}
