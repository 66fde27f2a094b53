/**
 * Start, stop and inspect the local services (Redis, a 3-node Kafka cluster, FerretDB).
 * `cli.ts` wraps these for `npm run services:*`; fault-injection tests call
 * {@link stopService} and {@link startService} directly.
 */
import {
  loadConfig,
  type ServiceEnv,
  type ServiceName,
  type ServicesConfig,
  serviceEnv,
} from './config.ts';
import { ferretdbService, prepareFerretdb } from './ferretdb.ts';
import {
  KAFKA_NODE_IDS,
  kafkaServices,
  prepareKafka,
  waitForKafkaCluster,
  warmKafkaCluster,
} from './kafka.ts';
import {
  portOpen,
  runningPid,
  type StopOptions,
  startProcess,
  stopProcess,
  waitUntil,
} from './process.ts';
import { prepareRedis, redisService } from './redis.ts';
import type { Log, ServiceDef } from './service.ts';

export {
  kafkaBrokers,
  loadConfig,
  SERVICE_NAMES,
  type ServiceEnv,
  type ServiceName,
  type ServicesConfig,
  serviceEnv,
} from './config.ts';
export type { StopOptions } from './process.ts';
export type { Log } from './service.ts';

/** A single service, or `kafka` for all three brokers at once. */
export type ServiceTarget = ServiceName | 'kafka';

/** How long a start may take before it fails (three JVMs on two shared cores are slow). */
const START_TIMEOUT_MS = 180_000;

const quiet: Log = () => undefined;

function allServices(config: ServicesConfig): ServiceDef[] {
  return [redisService(config), ...kafkaServices(config), ferretdbService(config)];
}

function targetServices(target: ServiceTarget, config: ServicesConfig): ServiceDef[] {
  const defs = allServices(config).filter((def) =>
    target === 'kafka' ? def.name.startsWith('kafka-') : def.name === target,
  );
  if (defs.length === 0) throw new Error(`unknown service "${target}"`);
  return defs;
}

/** Installs, downloads, builds and formats what defs need; every step is cached. */
async function prepare(defs: readonly ServiceDef[], config: ServicesConfig, log: Log) {
  const names = new Set(defs.map((def) => def.name));
  await Promise.all([
    names.has('redis') ? prepareRedis(config, log) : undefined,
    [...names].some((name) => name.startsWith('kafka-')) ? prepareKafka(config, log) : undefined,
    names.has('ferretdb') ? prepareFerretdb(config, log) : undefined,
  ]);
}

/** Starts each of defs that is not running and waits until every one of them serves. */
async function startAll(defs: readonly ServiceDef[], log: Log) {
  const started: ServiceDef[] = [];
  for (const def of defs) {
    const pid = runningPid(def.spec);
    if (pid !== null) {
      log(`${def.name} already running (pid ${pid})`);
      continue;
    }
    if (await portOpen(def.port)) {
      throw new Error(
        `port ${def.port} for ${def.name} is taken by a process these scripts did not start; stop it or choose other ports (docs/SERVICES.md)`,
      );
    }
    const newPid = startProcess(def.spec);
    log(`started ${def.name} (pid ${newPid}, log ${def.spec.logFile})`);
    started.push(def);
  }
  if (started.length > 0) log(`waiting for ${started.map((def) => def.name).join(', ')}`);
  await Promise.all(
    started.map((def) =>
      waitUntil(def.ready, {
        what: `${def.name} to serve on port ${def.port}`,
        timeoutMs: START_TIMEOUT_MS,
        spec: def.spec,
      }),
    ),
  );
}

/**
 * Brings every service up (idempotent: running ones are left alone, dead ones restarted) and
 * returns the settings to use. Returns once Redis answers, the Kafka cluster reports 3 brokers
 * and FerretDB accepts connections.
 */
export async function up(
  config: ServicesConfig = loadConfig(),
  log: Log = quiet,
): Promise<ServiceEnv> {
  const defs = allServices(config);
  await prepare(defs, config, log);
  await startAll(defs, log);
  log('waiting for the Kafka cluster to report 3 brokers');
  await waitForKafkaCluster(config, KAFKA_NODE_IDS, START_TIMEOUT_MS);
  await warmKafkaCluster(config);
  return serviceEnv(config);
}

/** Stops every service these scripts started, by recorded pid (SIGTERM, then SIGKILL). */
export async function down(config: ServicesConfig = loadConfig(), log: Log = quiet): Promise<void> {
  await Promise.all(allServices(config).map((def) => stopOne(def, {}, log)));
}

/**
 * Starts one service (or `kafka`: all three brokers) if it is not running, and resolves once it
 * serves; a Kafka broker counts only once the cluster lists it again.
 */
export async function startService(
  target: ServiceTarget,
  config: ServicesConfig = loadConfig(),
  log: Log = quiet,
): Promise<void> {
  const defs = targetServices(target, config);
  await prepare(defs, config, log);
  await startAll(defs, log);
}

/**
 * Stops one service (or `kafka`: all three brokers) that these scripts started. Pass
 * `{ signal: 'SIGKILL' }` to simulate a crash instead of a clean shutdown.
 */
export async function stopService(
  target: ServiceTarget,
  options: StopOptions = {},
  config: ServicesConfig = loadConfig(),
  log: Log = quiet,
): Promise<void> {
  await Promise.all(targetServices(target, config).map((def) => stopOne(def, options, log)));
}

async function stopOne(def: ServiceDef, options: StopOptions, log: Log): Promise<void> {
  const pid = runningPid(def.spec);
  const stopped = await stopProcess(def.spec, options);
  log(stopped ? `stopped ${def.name} (pid ${pid})` : `${def.name} was not running`);
}

/** One line of `status`. */
export interface ServiceStatus {
  readonly name: ServiceName;
  /** `up`: ours and accepting connections; `starting`: ours, port not open yet; `down`: not running. */
  readonly state: 'up' | 'starting' | 'down';
  readonly pid: number | null;
  readonly port: number;
  /** Why a down service may not start, e.g. its port is held by another program. */
  readonly note?: string;
}

/** The state of every service, judged by recorded pid and open port. */
export async function status(config: ServicesConfig = loadConfig()): Promise<ServiceStatus[]> {
  return Promise.all(
    allServices(config).map(async (def): Promise<ServiceStatus> => {
      const pid = runningPid(def.spec);
      const open = await portOpen(def.port);
      if (pid === null) {
        const base = { name: def.name, state: 'down', pid, port: def.port } as const;
        return open
          ? { ...base, note: 'port in use by a process these scripts did not start' }
          : base;
      }
      return { name: def.name, state: open ? 'up' : 'starting', pid, port: def.port };
    }),
  );
}
