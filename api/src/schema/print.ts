// The explicit file is the copy Pothos and yoga load; under vitest a bare 'graphql' import can
// resolve to the ESM build instead, whose functions reject schemas built by the other copy.
import { lexicographicSortSchema, printSchema } from 'graphql/index.js';
import { schema } from './index.ts';

/** The schema as committed in `schema.graphql`: sorted, so the diff shows real changes only. */
export function printSchemaSdl(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
