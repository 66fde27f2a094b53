import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const webRoot = join(import.meta.dirname, '..', '..');
const vite = join(webRoot, '..', 'node_modules', 'vite', 'bin', 'vite.js');

/**
 * Builds the production web app, as `npm start` serves it, into a fresh temp directory
 * (never touching web/dist, which a running server may be serving). A child process,
 * because vitest's NODE_ENV=test would otherwise select React's development build.
 */
export async function buildWebApp(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'parley-web-e2e-'));
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: webRoot, env: { ...process.env, NODE_ENV: 'production' } },
  );
  return outDir;
}
