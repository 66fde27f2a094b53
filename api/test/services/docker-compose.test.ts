import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

// No Docker engine runs here, so this checks the file's services and wiring instead.
const root = join(import.meta.dirname, '..', '..', '..');

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const serviceSchema = z.object({
  image: z.string(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), scalar).default({}),
  ports: z.array(z.string()).default([]),
  volumes: z.array(z.string()).default([]),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).default({}),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
});
const composeSchema = z.object({
  services: z.record(z.string(), serviceSchema),
  volumes: z.record(z.string(), z.null()).default({}),
});

// Compose resolves `<<:` merge keys (YAML 1.1), so parse with them on.
const compose = composeSchema.parse(
  parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }),
);
const kafkaNames = ['kafka-1', 'kafka-2', 'kafka-3'];

function service(name: string) {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

function env(name: string, key: string): string {
  const value = service(name).environment[key];
  if (value === undefined) throw new Error(`${name} has no ${key}`);
  return value;
}

/** The container port a listener named `name` binds, from a `NAME://host:port` list. */
function listenerPort(listeners: string, name: string): number {
  const match = new RegExp(`(?:^|,)${name}://[^:,]*:(\\d+)`).exec(listeners);
  if (!match?.[1]) throw new Error(`no ${name} listener in ${listeners}`);
  return Number(match[1]);
}

function npmScripts(workspace: string): Record<string, string> {
  const manifest = z
    .object({ scripts: z.record(z.string(), z.string()) })
    .parse(JSON.parse(readFileSync(join(root, workspace, 'package.json'), 'utf8')));
  return manifest.scripts;
}

describe('docker-compose.yml', () => {
  it('runs the real images: three Kafka brokers, Redis, MongoDB, the API and the web app', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'kafka-1', 'kafka-2', 'kafka-3', 'mongo', 'redis', 'web'].sort(),
    );
    for (const name of kafkaNames) expect(service(name).image).toBe('apache/kafka:3.9.1');
    expect(service('redis').image).toBe('redis:7');
    expect(service('mongo').image).toBe('mongo:7');
    expect(service('api').image).toBe('node:24');
    expect(service('web').image).toBe('node:24');
  });

  it('keeps Redis durable with an append-only file', () => {
    expect(service('redis').command?.join(' ')).toContain('--appendonly yes');
  });

  it('forms one KRaft cluster of three combined brokers that name each other as voters', () => {
    const clusterIds = new Set(kafkaNames.map((name) => env(name, 'CLUSTER_ID')));
    expect(clusterIds.size).toBe(1);
    const nodeIds = kafkaNames.map((name) => env(name, 'KAFKA_NODE_ID'));
    expect(nodeIds).toEqual(['1', '2', '3']);

    for (const name of kafkaNames) {
      expect(env(name, 'KAFKA_PROCESS_ROLES')).toBe('broker,controller');
      const controllerPort = listenerPort(env(name, 'KAFKA_LISTENERS'), 'CONTROLLER');
      const voters = env(name, 'KAFKA_CONTROLLER_QUORUM_VOTERS').split(',');
      // Every broker's voter list names all three, each at its service name and controller port.
      expect(voters).toEqual(
        kafkaNames.map((peer, i) => `${nodeIds[i]}@${peer}:${controllerPort}`),
      );
      const advertised = env(name, 'KAFKA_ADVERTISED_LISTENERS');
      expect(advertised).toContain(`PLAINTEXT://${name}:`);
      expect(env(name, 'KAFKA_DEFAULT_REPLICATION_FACTOR')).toBe('3');
      expect(env(name, 'KAFKA_MIN_INSYNC_REPLICAS')).toBe('2');
      expect(env(name, 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR')).toBe('3');
      expect(env(name, 'KAFKA_AUTO_CREATE_TOPICS_ENABLE')).toBe('false');
    }
  });

  it('points the API at the compose services by name and port', () => {
    const redisUrl = new URL(env('api', 'REDIS_URL'));
    expect([redisUrl.hostname, redisUrl.port]).toEqual(['redis', '6379']);

    const brokers = env('api', 'KAFKA_BROKERS').split(',');
    expect(brokers).toHaveLength(3);
    expect(brokers).toEqual(
      kafkaNames.map(
        (name) => `${name}:${listenerPort(env(name, 'KAFKA_LISTENERS'), 'PLAINTEXT')}`,
      ),
    );
    // And that port is the one each broker advertises to other containers.
    for (const name of kafkaNames) {
      const port = listenerPort(env(name, 'KAFKA_ADVERTISED_LISTENERS'), 'PLAINTEXT');
      expect(brokers).toContain(`${name}:${port}`);
    }

    const mongoUrl = new URL(env('api', 'MONGO_URL'));
    expect([mongoUrl.protocol, mongoUrl.hostname, mongoUrl.port || '27017']).toEqual([
      'mongodb:',
      'mongo',
      '27017',
    ]);

    const port = env('api', 'PORT');
    expect(service('api').ports).toContain(`${port}:${port}`);
    expect(Object.keys(service('api').depends_on).sort()).toEqual(
      ['kafka-1', 'kafka-2', 'kafka-3', 'mongo', 'redis'].sort(),
    );
  });

  it('points the web dev server at the API', () => {
    const apiUrl = new URL(env('web', 'PARLEY_API_URL'));
    expect([apiUrl.hostname, apiUrl.port]).toEqual(['api', env('api', 'PORT')]);
    expect(Object.keys(service('web').depends_on)).toEqual(['api']);
  });

  it('runs only npm scripts that exist', () => {
    expect(service('api').command).toEqual(['npm', 'start']);
    expect(npmScripts('.')).toHaveProperty('start');
    expect(service('web').command?.slice(0, 5)).toEqual(['npm', 'run', 'dev', '-w', 'web']);
    expect(npmScripts('web')).toHaveProperty('dev');
  });

  it('declares every named volume it mounts', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      for (const volume of definition.volumes) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('.') || source.startsWith('/')) continue;
        expect(compose.volumes, `${name} mounts ${source}`).toHaveProperty(source);
      }
    }
  });
});
