import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { expect, it } from 'vitest';
import config from '../../codegen.ts';

const root = join(import.meta.dirname, '..', '..');

it('the committed generated files (web and client) match schema.graphql', async () => {
  const outputs = await generate({ ...config, silent: true }, false);
  expect(outputs.length).toBeGreaterThan(4);
  for (const { filename, content } of outputs) {
    const path = isAbsolute(filename) ? filename : join(root, filename);
    const committed = readFileSync(path, 'utf8');
    expect(committed, `${filename} is stale: run \`npm run codegen\``).toBe(content);
  }
});
