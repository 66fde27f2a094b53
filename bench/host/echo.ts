import { request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { type ProbedChild, spawnProbed } from './child.ts';
import { freePort } from './free-port.ts';

/** The transport baseline's server process (`baselines/echo-server.ts`). */
export interface EchoServer {
  readonly url: string;
  readonly child: ProbedChild;
  stop(): Promise<void>;
}

/** Starts the echo server and waits until it answers. */
export async function startEchoServer(): Promise<EchoServer> {
  const port = await freePort();
  const child = spawnProbed('bench/baselines/echo-server.ts', {
    ...process.env,
    PORT: String(port),
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await answers(url)) {
      return {
        url,
        child,
        async stop() {
          await child.stop(5_000);
        },
      };
    }
    await delay(50);
  }
  await child.stop(1_000);
  throw new Error(`echo server did not start:\n${child.logTail()}`);
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST' }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    // Not listening yet is expected while it starts.
    req.on('error', () => resolve(false));
    req.end('{}');
  });
}
