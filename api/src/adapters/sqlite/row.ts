import type { SQLOutputValue } from 'node:sqlite';

/** A result row as `node:sqlite` returns it. */
export type Row = Record<string, SQLOutputValue>;

/** Readers that check each column's type, so a schema drift fails loudly instead of leaking `undefined`. */
export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw columnTypeError(column, 'text', value);
  return value;
}

export function textOrNull(row: Row, column: string): string | null {
  const value = row[column];
  return value === null ? null : text(row, column);
}

export function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number') throw columnTypeError(column, 'integer', value);
  return value;
}

/** Dates are stored as epoch milliseconds. */
export function date(row: Row, column: string): Date {
  return new Date(integer(row, column));
}

export function dateOrNull(row: Row, column: string): Date | null {
  const value = row[column];
  return value === null ? null : date(row, column);
}

/** A text column constrained to one of `values`. */
export function oneOf<T extends string>(row: Row, column: string, values: readonly T[]): T {
  const value = text(row, column);
  const match = values.find((candidate) => candidate === value);
  if (match === undefined) throw new TypeError(`column ${column}: unexpected value ${value}`);
  return match;
}

/** A JSON array of strings, as built by `json_group_array`. */
export function textArray(row: Row, column: string): string[] {
  const parsed: unknown = JSON.parse(text(row, column));
  if (!Array.isArray(parsed)) throw columnTypeError(column, 'JSON array', parsed);
  return parsed.map((item: unknown) => {
    if (typeof item !== 'string') throw columnTypeError(column, 'JSON array of text', item);
    return item;
  });
}

export function msOrNull(value: Date | null): number | null {
  return value === null ? null : value.getTime();
}

function columnTypeError(column: string, expected: string, value: unknown): TypeError {
  return new TypeError(`column ${column}: expected ${expected}, got ${typeof value}`);
}
