/**
 * Installs Debian's Chromium for the browser end-to-end tests when `/usr/bin/chromium` is
 * missing. npm's browser downloads cannot work here, so playwright-core drives this one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where the e2e tests expect the browser. */
export const chromiumPath = '/usr/bin/chromium';

/** Installs Chromium with apt-get unless it is already there; throws when that fails. */
export function ensureChromium(): void {
  if (existsSync(chromiumPath)) return;
  console.log('[parley] installing chromium for the browser tests (apt-get)…');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  for (const args of [
    ['apt-get', 'update'],
    ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium'],
  ]) {
    const [command, ...rest] = [...sudo, ...args];
    if (command === undefined) continue;
    const result = spawnSync(command, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) {
      throw new Error(`${args.join(' ')} failed with status ${String(result.status)}`);
    }
  }
  if (!existsSync(chromiumPath))
    throw new Error(`chromium installed but ${chromiumPath} is missing`);
}

if (import.meta.main) ensureChromium();
