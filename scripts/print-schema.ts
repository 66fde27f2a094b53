/**
 * Writes `schema.graphql` (repo root) from the Pothos builder. Run `npm run schema:print`
 * after changing the schema; a test fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchemaSdl } from '../api/src/schema/print.ts';

const target = join(import.meta.dirname, '..', 'schema.graphql');
writeFileSync(target, printSchemaSdl());
console.log(`[parley] wrote ${target}`);
