import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

it('docs/CLIENT.md shows the bot example exactly as it is in client/examples/bot.ts', () => {
  const doc = readFileSync(join(root, 'docs', 'CLIENT.md'), 'utf8');
  const bot = readFileSync(join(root, 'client', 'examples', 'bot.ts'), 'utf8');
  const listings = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  expect(listings).toContain(bot);
});
