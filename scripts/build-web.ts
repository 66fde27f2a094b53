/**
 * Builds the web app (`web/dist`, served by the API at `/`) when it is missing or older
 * than its sources, so `npm start` in a fresh clone shows the current app.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const web = join(root, 'web');
const builtMarker = join(web, 'dist', 'index.html');
/** Everything the bundle is made from. */
const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((entry) =>
  join(web, entry),
);

/** The newest modification time under `path` (a file or a directory tree). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestMtime(join(path, entry))),
    stat.mtimeMs,
  );
}

/** Whether web/dist is missing or older than a source file or the lockfile. */
export function webBuildIsStale(): boolean {
  if (!existsSync(builtMarker)) return true;
  const builtAt = statSync(builtMarker).mtimeMs;
  const newestSource = Math.max(
    ...sources.map(newestMtime),
    newestMtime(join(root, 'package-lock.json')),
  );
  return newestSource > builtAt;
}

if (import.meta.main && webBuildIsStale()) {
  console.log('[parley] building the web app (web/dist)…');
  const result = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
