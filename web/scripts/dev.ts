/**
 * `npm run dev -w web`: Vite with hot reload, proxying `/graphql` (HTTP and WebSocket) to
 * the API. Starts the API too, unless one already answers at PARLEY_API_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'vite';

const webRoot = join(import.meta.dirname, '..');
const apiUrl = new URL(process.env['PARLEY_API_URL'] ?? 'http://localhost:4000');

async function apiAnswers(): Promise<boolean> {
  try {
    return (await fetch(new URL('/healthz', apiUrl))).ok;
  } catch {
    return false; // nothing listening yet: this script starts it
  }
}

let api: ChildProcess | null = null;
if (await apiAnswers()) {
  console.log(`[dev] using the API already running at ${apiUrl.origin}`);
} else {
  console.log(`[dev] starting the API on port ${apiUrl.port || '4000'}`);
  api = spawn(process.execPath, [join(webRoot, '..', 'api', 'src', 'main.ts')], {
    cwd: join(webRoot, '..'),
    stdio: 'inherit',
    env: { ...process.env, PORT: apiUrl.port || '4000' },
  });
  api.once('exit', (code) => {
    console.error(`[dev] the API exited (${String(code)})`);
    process.exitCode = code ?? 1;
  });
}

const vite = await createServer({ root: webRoot, configFile: join(webRoot, 'vite.config.ts') });
await vite.listen();
vite.printUrls();

const stop = async () => {
  await vite.close();
  api?.kill('SIGTERM');
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
