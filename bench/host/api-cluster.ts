import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ApiEndpoints, ServerStats } from '../protocol.ts';
import { type ProbedChild, spawnProbed } from './child.ts';
import { freePort } from './free-port.ts';

/** Settings that make the API measurable rather than protective (documented in PERFORMANCE.md). */
const BENCH_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  // Fixtures sign up hundreds of users; the OWASP cost would dominate setup, not the API.
  PASSWORD_SCRYPT_LOG2N: '10',
  ACCESS_TOKEN_TTL_SECONDS: '7200',
  RATE_LIMIT_SEND_MESSAGE: '1000000/1s',
  RATE_LIMIT_SIGN_UP: '1000000/1s',
  RATE_LIMIT_LOG_IN: '1000000/1s',
  PRESENCE_GRACE_MS: '0',
};

/** Variables the bench always sets itself, so a developer's shell cannot change the mode. */
const OWNED = ['REDIS_URL', 'KAFKA_BROKERS', 'MONGO_URL', 'DATA_DIR', 'PORT'];

export interface ApiClusterOptions {
  readonly instances: number;
  /** Mode-specific settings (service URLs, topic and database names). */
  readonly env: Readonly<Record<string, string>>;
  readonly jwtSecret: string;
  /** The checkout whose `api/src/main.ts` runs (default: this repository). */
  readonly apiRoot?: string;
  /** Writes a V8 CPU profile of each API process into this directory when set. */
  readonly profileDir?: string | null;
}

interface Slot {
  readonly port: number;
  readonly dataDir: string;
  child: ProbedChild;
}

/** One or more API processes under test, on their own ports and temp data directories. */
export interface ApiCluster {
  readonly endpoints: ApiEndpoints;
  readonly pids: readonly number[];
  stats(instance: number, gc: boolean): Promise<ServerStats>;
  /**
   * Stops and starts every instance on the same ports and data (an empty in-memory cache),
   * with `env` changed for this and later starts.
   */
  restart(env?: Readonly<Record<string, string>>): Promise<ApiEndpoints>;
  /** Warnings and errors the instances logged so far, one line per instance that logged any. */
  problems(): string[];
  /** Rejects when any instance exits before `stop()`. */
  readonly crashed: Promise<never>;
  /** Stops every instance and removes its data; returns unclean exits (the run goes on). */
  stop(): Promise<string[]>;
}

/** Starts the instances and waits until each answers `/readyz`. */
export async function startApiCluster(options: ApiClusterOptions): Promise<ApiCluster> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of OWNED) delete env[name];
  Object.assign(env, BENCH_ENV, { JWT_SECRET: options.jwtSecret }, options.env);

  const slots: Slot[] = [];
  let stopping = false;
  let rejectCrash: (error: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => {
    rejectCrash = reject;
  });
  // Nobody may be listening yet; the rejection is still delivered to later listeners.
  crashed.catch(() => {});

  const launch = (slot: { port: number; dataDir: string }, index: number) => {
    const child = spawnProbed(
      'api/src/main.ts',
      { ...env, PORT: String(slot.port), DATA_DIR: slot.dataDir },
      options.apiRoot,
      options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [],
    );
    void child.exited.then(({ code, signal }) => {
      if (stopping || slots[index]?.child !== child) return;
      rejectCrash(
        new Error(
          `API instance ${index} exited (code ${code}, signal ${signal}):\n${child.logTail()}`,
        ),
      );
    });
    return child;
  };

  try {
    for (let index = 0; index < options.instances; index += 1) {
      const port = await freePort();
      const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
      const slot: Slot = { port, dataDir, child: launch({ port, dataDir }, index) };
      slots.push(slot);
    }
    await Promise.all(slots.map((slot) => waitReady(slot)));
  } catch (error) {
    stopping = true;
    await Promise.all(slots.map((slot) => slot.child.stop()));
    throw error;
  }

  const endpoints = (): ApiEndpoints => ({
    urls: slots.map((slot) => `http://127.0.0.1:${slot.port}`),
  });

  return {
    endpoints: endpoints(),
    get pids() {
      return slots.map((slot) => slot.child.pid);
    },
    stats(instance, gc) {
      const slot = slots[instance];
      if (!slot) throw new Error(`no API instance ${instance}`);
      return slot.child.stats(gc);
    },
    async restart(changes = {}) {
      Object.assign(env, changes);
      stopping = true;
      await Promise.all(slots.map((slot) => slot.child.stop()));
      stopping = false;
      slots.forEach((slot, index) => {
        slot.child = launch(slot, index);
      });
      await Promise.all(slots.map((slot) => waitReady(slot)));
      return endpoints();
    },
    crashed,
    problems() {
      return slots.flatMap((slot, index) => {
        const { count, samples } = slot.child.problems();
        return count === 0
          ? []
          : [`API instance ${index} logged ${count} warnings/errors, e.g. ${samples.join(' | ')}`];
      });
    },
    async stop() {
      stopping = true;
      const codes = await Promise.all(slots.map((slot) => slot.child.stop(30_000)));
      await Promise.all(slots.map((slot) => rm(slot.dataDir, { recursive: true, force: true })));
      return codes.flatMap((code, index) =>
        code === 0
          ? []
          : [
              `API instance ${index} did not shut down cleanly within 30 s (exit ${code ?? 'killed'})`,
            ],
      );
    },
  };
}

/** Polls `/readyz` until it answers 200; fails with the log tail if the process exits. */
async function waitReady(slot: Slot, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let exited = false;
  void slot.child.exited.then(() => {
    exited = true;
  });
  while (performance.now() < deadline) {
    if (exited) throw new Error(`API exited during start-up:\n${slot.child.logTail()}`);
    if ((await statusOf(`http://127.0.0.1:${slot.port}/readyz`)) === 200) return;
    await delay(100);
  }
  throw new Error(`API not ready after ${timeoutMs} ms:\n${slot.child.logTail()}`);
}

function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    // Not listening yet is the normal case while it starts.
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
