import type { z } from 'zod';
import { badInput } from './errors.ts';

/** Parses `value` with `schema`, turning the first issue into a BAD_USER_INPUT error. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw badInput(`${path}${issue?.message ?? 'invalid input'}`);
}
