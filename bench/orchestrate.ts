import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import type { BaselineResult } from './baselines/index.ts';
import type { BenchOptions, Mode, Scenario } from './cli.ts';
import { type ApiCluster, startApiCluster } from './host/api-cluster.ts';
import { startEchoServer } from './host/echo.ts';
import { type HostHandlers, runTask } from './host/run-task.ts';
import {
  distributedEnv,
  prepareScratch,
  removeScratch,
  type ScratchNames,
  type ServiceUrls,
  scratchNames,
  serviceUrls,
  unreachableServices,
  watchServices,
  withDatabase,
} from './host/services.ts';
import type { Plan } from './plan.ts';
import type { Progress } from './progress.ts';
import type { ModeResult, RunError } from './report/result.ts';
import type { TaskKind, TaskSpec, TaskTypes } from './tasks.ts';

/** What the modes and baselines produced. */
export interface Measurements {
  readonly baselines: BaselineResult | null;
  readonly modes: ModeResult[];
  readonly skipped: { readonly mode: Mode; readonly reason: string }[];
  readonly errors: RunError[];
  /** Problems that did not spoil a figure (e.g. scratch data left on the services). */
  readonly warnings: string[];
}

/**
 * What each mode runs. Embedded has no persistence lag (a send is acknowledged once it is
 * in SQLite). Two instances add cross-instance fan-out and a shared worker group; their
 * connection and history costs per instance are those of one, so they are measured once.
 */
const SCENARIOS_BY_MODE: Readonly<Record<Mode, readonly Exclude<Scenario, 'baselines'>[]>> = {
  embedded: ['delivery', 'connections', 'history'],
  distributed: ['delivery', 'persistence', 'connections', 'history'],
  'distributed-2': ['delivery', 'persistence'],
};

const load1 = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;

/** Runs the baselines, then every selected scenario in every selected mode. */
export async function measure(
  options: BenchOptions,
  plan: Plan,
  runId: string,
  progress: Progress,
): Promise<Measurements> {
  const errors: RunError[] = [];
  const warnings: string[] = [];
  const skipped: Measurements['skipped'] = [];
  const urls = serviceUrls();
  const modes = await chooseModes(options, urls, skipped, progress);
  const wants = (scenario: Scenario) => options.scenarios.includes(scenario);
  const distributed = modes.some((mode) => mode !== 'embedded');

  let baselines: BaselineResult | null = null;
  if (wants('baselines')) {
    progress('── baselines ──');
    try {
      baselines = await measureBaselines(options, plan, distributed ? urls : null, runId, progress);
    } catch (error) {
      errors.push({ scope: 'baselines', message: messageOf(error) });
      progress(`baselines FAILED: ${messageOf(error)}`);
    }
  }

  const results: ModeResult[] = [];
  for (const mode of modes) {
    progress(`── ${mode} ──`);
    const started = performance.now();
    const instances = mode === 'distributed-2' ? 2 : 1;
    const loadAverage: Partial<Record<Scenario, number>> = {};
    const found: Omit<ModeResult, 'mode' | 'instances' | 'loadAverage' | 'seconds'> = {
      delivery: null,
      persistence: null,
      connections: null,
      history: null,
    };
    const result = { ...found };
    for (const scenario of SCENARIOS_BY_MODE[mode]) {
      if (!wants(scenario)) continue;
      loadAverage[scenario] = load1();
      progress(`${mode} · ${scenario} (load average ${loadAverage[scenario]})`);
      const tag = `${runId}-${mode}-${scenario}`;
      const watch = mode === 'embedded' ? null : watchServices(urls);
      try {
        const names = mode === 'embedded' ? null : scratchNames(tag);
        const outcome = await withCluster(
          options,
          instances,
          urls,
          names,
          warnings,
          async (cluster, handlers) => {
            const run = <K extends TaskKind>(kind: K, params: TaskTypes[K]['params']) => {
              const spec: TaskSpec<K> = { kind, api: cluster.endpoints, params };
              return runTask(
                spec,
                handlers,
                (line) => progress(`${mode} · ${scenario} · ${line}`),
                cluster.crashed,
                plan.scenarioTimeoutMs,
              );
            };
            const mongoUrl = names ? withDatabase(urls.mongoUrl, names.database) : null;
            switch (scenario) {
              case 'delivery':
                return { delivery: await run('delivery', plan.delivery) };
              case 'persistence':
                if (!mongoUrl) throw new Error('persistence needs the store of a distributed mode');
                return { persistence: await run('persistence', { ...plan.persistence, mongoUrl }) };
              case 'connections':
                return { connections: await run('connections', plan.connections) };
              case 'history':
                return { history: await run('history', { ...plan.history, mongoUrl }) };
            }
          },
        );
        Object.assign(result, outcome);
      } catch (error) {
        errors.push({ scope: `${mode} · ${scenario}`, message: messageOf(error) });
        progress(`${mode} · ${scenario} FAILED: ${messageOf(error)}`);
      }
      const outages = (await watch?.stop()) ?? [];
      if (outages.length > 0) {
        const warning = `${mode} · ${scenario}: services went down during the scenario, its figures are disturbed (${outages.slice(0, 3).join('; ')})`;
        warnings.push(warning);
        progress(warning);
      }
    }
    results.push({
      mode,
      instances,
      ...result,
      loadAverage,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
  }
  return { baselines, modes: results, skipped, errors, warnings };
}

/** The requested modes, or by default embedded plus the distributed ones the services allow. */
async function chooseModes(
  options: BenchOptions,
  urls: ServiceUrls,
  skipped: Measurements['skipped'],
  progress: Progress,
): Promise<Mode[]> {
  const requested = options.modes;
  const distributedWanted = requested
    ? requested.filter((mode) => mode !== 'embedded')
    : options.quick
      ? (['distributed'] as const)
      : (['distributed', 'distributed-2'] as const);
  const down = distributedWanted.length > 0 ? await unreachableServices(urls) : [];
  if (down.length > 0) {
    const reason = `services not reachable: ${down.join(', ')} (run \`npm run services:up\`)`;
    if (requested) throw new Error(`--mode ${distributedWanted.join(',')}: ${reason}`);
    for (const mode of distributedWanted) skipped.push({ mode, reason });
    progress(`skipping distributed modes: ${reason}`);
    return ['embedded'];
  }
  return requested ? [...requested] : ['embedded', ...distributedWanted];
}

/** Starts a fresh cluster for one scenario and always stops it (and clears its scratch names). */
async function withCluster<T>(
  options: BenchOptions,
  instances: number,
  urls: ServiceUrls,
  names: ScratchNames | null,
  warnings: string[],
  body: (cluster: ApiCluster, handlers: HostHandlers) => Promise<T>,
): Promise<T> {
  if (names) await prepareScratch(urls, names);
  const cluster = await startApiCluster({
    instances,
    env: names ? distributedEnv(urls, names) : {},
    jwtSecret: randomBytes(32).toString('hex'),
    apiRoot: options.apiRoot,
    profileDir: options.profileDir,
  });
  let restarts = 0;
  const handlers: HostHandlers = {
    serverStats: (request) => cluster.stats(request.instance, request.gc),
    restartApi: () => {
      restarts += 1;
      // A fresh key prefix empties the Redis cache as a restart empties the memory one.
      return cluster.restart(
        names ? { REDIS_KEY_PREFIX: `${names.redisPrefix}-r${restarts}` } : {},
      );
    },
  };
  try {
    return await body(cluster, handlers);
  } finally {
    try {
      warnings.push(...cluster.problems());
      warnings.push(...(await cluster.stop()));
    } finally {
      if (names) warnings.push(...(await removeScratch(urls, names)));
    }
  }
}

async function measureBaselines(
  options: BenchOptions,
  plan: Plan,
  urls: ServiceUrls | null,
  runId: string,
  progress: Progress,
): Promise<BaselineResult> {
  const echo = await startEchoServer();
  try {
    const spec: TaskSpec<'baselines'> = {
      kind: 'baselines',
      api: { urls: [echo.url] },
      params: {
        transport: { ...plan.baselines.transport, url: echo.url },
        apiRoot: options.apiRoot,
        executeIterations: plan.baselines.executeIterations,
        services: urls
          ? {
              ...plan.baselines.services,
              targets: { ...urls, scratchName: `parley-bench-${runId}-baseline` },
            }
          : null,
      },
    };
    const crashed = echo.child.exited.then(({ code }) => {
      throw new Error(`echo server exited (${code}):\n${echo.child.logTail()}`);
    });
    crashed.catch(() => {});
    return await runTask(
      spec,
      {
        serverStats: (request) => echo.child.stats(request.gc),
        restartApi: () => Promise.reject(new Error('the baselines never restart the API')),
      },
      (line) => progress(`baselines · ${line}`),
      crashed,
      plan.scenarioTimeoutMs,
    );
  } finally {
    await echo.stop();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
