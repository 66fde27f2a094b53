/**
 * Where the local services live and which ports they use, read from the environment.
 * Everything (data, logs, downloads, builds, pid files) sits under one git-ignored folder.
 */
import { join, resolve } from 'node:path';

/** Every process `npm run services:up` supervises, in start order. */
export const SERVICE_NAMES = ['redis', 'kafka-1', 'kafka-2', 'kafka-3', 'ferretdb'] as const;

/** One supervised process. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Resolved settings for the local services. */
export interface ServicesConfig {
  /** Repository root. */
  readonly root: string;
  /** Folder holding all service state (`.services/` unless `PARLEY_SERVICES_DIR` says otherwise). */
  readonly dir: string;
  readonly redisPort: number;
  /** Broker port of kafka-1; kafka-2 and kafka-3 use the next two. */
  readonly kafkaPortBase: number;
  /** KRaft controller port of kafka-1; kafka-2 and kafka-3 use the next two. */
  readonly kafkaControllerPortBase: number;
  readonly mongoPort: number;
}

/** The settings the app reads to switch on its distributed adapters. */
export interface ServiceEnv {
  readonly REDIS_URL: string;
  readonly KAFKA_BROKERS: string;
  readonly MONGO_URL: string;
}

const repoRoot = resolve(import.meta.dirname, '..', '..');

/** Reads the services config; a bad port fails fast naming its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServicesConfig {
  const dirSetting = env['PARLEY_SERVICES_DIR'];
  // A relative setting is taken from the repo root, so every caller agrees on one folder.
  const dir = dirSetting ? resolve(repoRoot, dirSetting) : join(repoRoot, '.services');
  return {
    root: repoRoot,
    dir,
    redisPort: port(env, 'PARLEY_REDIS_PORT', 6379),
    kafkaPortBase: port(env, 'PARLEY_KAFKA_PORT_BASE', 9092, 2),
    kafkaControllerPortBase: port(env, 'PARLEY_KAFKA_CONTROLLER_PORT_BASE', 9192, 2),
    mongoPort: port(env, 'PARLEY_MONGO_PORT', 27017),
  };
}

/** Broker addresses of the three Kafka nodes. */
export function kafkaBrokers(config: ServicesConfig): string[] {
  return [0, 1, 2].map((i) => `127.0.0.1:${config.kafkaPortBase + i}`);
}

/** `REDIS_URL`, `KAFKA_BROKERS` and `MONGO_URL` pointing at the local services. */
export function serviceEnv(config: ServicesConfig = loadConfig()): ServiceEnv {
  return {
    REDIS_URL: `redis://127.0.0.1:${config.redisPort}`,
    KAFKA_BROKERS: kafkaBrokers(config).join(','),
    MONGO_URL: `mongodb://127.0.0.1:${config.mongoPort}/parley`,
  };
}

/** Well-known folders under the services dir. */
export function servicePaths(config: ServicesConfig) {
  return {
    logs: join(config.dir, 'logs'),
    run: join(config.dir, 'run'),
    bin: join(config.dir, 'bin'),
    build: join(config.dir, 'build'),
    redis: join(config.dir, 'redis'),
    kafka: join(config.dir, 'kafka'),
    ferretdb: join(config.dir, 'ferretdb'),
  };
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number, extra = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value + extra > 65535) {
    throw new Error(`${name} must be a TCP port (1-${65535 - extra}), got "${raw}"`);
  }
  return value;
}
