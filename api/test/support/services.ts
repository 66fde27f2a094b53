/**
 * Helpers for tests that need the real services (files named `*.services.test.ts`).
 * `npm test` brings the services up and passes their addresses as TEST_REDIS_URL,
 * TEST_KAFKA_BROKERS and TEST_MONGO_URL, deliberately not the app's own REDIS_URL etc.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { type Admin, type ITopicConfig, Kafka, KafkaJSProtocolError, logLevel } from 'kafkajs';

export type { ServiceTarget, StopOptions } from '../../../scripts/services/index.ts';
/**
 * Stop and start the local services for fault-injection tests, e.g.
 * `await stopService('kafka-2', { signal: 'SIGKILL' })` then `await startService('kafka-2')`.
 * They act on the processes `npm run services:up` started (ports from PARLEY_* variables).
 * A test that stops a service disturbs every other file running at the same time.
 */
export { startService, stopService } from '../../../scripts/services/index.ts';

/** Addresses of the real services under test. */
export interface ServiceUrls {
  readonly redisUrl: string;
  readonly kafkaBrokers: string[];
  readonly mongoUrl: string;
}

/** A service a test may need. */
export type ServiceKind = 'redis' | 'kafka' | 'mongo';

const variables: Record<ServiceKind, string> = {
  redis: 'TEST_REDIS_URL',
  kafka: 'TEST_KAFKA_BROKERS',
  mongo: 'TEST_MONGO_URL',
};

const allKinds: readonly ServiceKind[] = ['redis', 'kafka', 'mongo'];

function missingVariables(kinds: readonly ServiceKind[]): string[] {
  return kinds.map((kind) => variables[kind]).filter((name) => !process.env[name]);
}

function missingMessage(missing: readonly string[]): string {
  return `${missing.join(', ')} not set: run the suite with \`npm test\` (it starts the services), or run \`npm run services:up\` and export ${missing.join(', ')} from its output`;
}

/**
 * True when the variables for kinds (default: all three) are set. Meant for
 * `describe.skipIf(!servicesAvailable())`. Under CI=true a missing variable throws instead,
 * so service tests fail there rather than skip.
 */
export function servicesAvailable(...kinds: ServiceKind[]): boolean {
  const missing = missingVariables(kinds.length > 0 ? kinds : allKinds);
  if (missing.length === 0) return true;
  if (process.env['CI'] === 'true') throw new Error(`CI=true and ${missingMessage(missing)}`);
  console.warn(`[services] skipping service tests: ${missingMessage(missing)}`);
  return false;
}

function required(kind: ServiceKind): string {
  const name = variables[kind];
  const value = process.env[name];
  if (!value) throw new Error(missingMessage([name]));
  return value;
}

/** The Redis URL (TEST_REDIS_URL); throws when it is not set. */
export function requireRedisUrl(): string {
  return required('redis');
}

/** The Kafka broker list (TEST_KAFKA_BROKERS, comma-separated); throws when it is not set. */
export function requireKafkaBrokers(): string[] {
  return required('kafka')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
}

/** The MongoDB URL (TEST_MONGO_URL); throws when it is not set. */
export function requireMongoUrl(): string {
  return required('mongo');
}

/** All three service addresses; throws naming whichever variables are missing. */
export function requireServices(): ServiceUrls {
  const missing = missingVariables(allKinds);
  if (missing.length > 0) throw new Error(missingMessage(missing));
  return {
    redisUrl: requireRedisUrl(),
    kafkaBrokers: requireKafkaBrokers(),
    mongoUrl: requireMongoUrl(),
  };
}

let runId: string | undefined;
let counter = 0;

/**
 * A name no other test or run uses, for topics, groups, databases and key prefixes:
 * `<prefix>-<run id>-<n>`, lower-case letters, digits and dashes only (valid for Kafka topics,
 * MongoDB database names and Redis keys alike).
 */
export function uniqueName(prefix: string): string {
  if (!/^[a-z][a-z0-9-]{0,23}$/.test(prefix)) {
    throw new Error(
      `uniqueName prefix must be 1-24 of [a-z0-9-], starting with a letter: "${prefix}"`,
    );
  }
  runId ??= `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  counter += 1;
  return `${prefix}-${runId}-${counter}`;
}

/** A MongoDB URL like base but naming database dbName instead. */
export function withDatabase(mongoUrl: string, dbName: string): string {
  const url = new URL(mongoUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/**
 * Creates a topic and waits until every broker in brokers reports a leader for each of its
 * partitions. KRaft spreads new metadata to the brokers asynchronously (a few hundred ms here),
 * and until then a broker answers UNKNOWN_TOPIC_OR_PARTITION, which kafkajs's own
 * `waitForLeaders` and `describeConfigs` do not retry.
 */
export async function createTopicAndWait(
  brokers: readonly string[],
  topic: ITopicConfig,
  timeoutMs = 30_000,
): Promise<void> {
  const admin = (seeds: readonly string[]) =>
    new Kafka({
      clientId: 'parley-test-topics',
      brokers: [...seeds],
      logLevel: logLevel.NOTHING,
    }).admin();
  const creator = admin(brokers);
  await creator.connect();
  try {
    const created = await creator.createTopics({ topics: [topic], waitForLeaders: false });
    if (!created) throw new Error(`topic ${topic.topic} already exists`);
  } finally {
    await creator.disconnect();
  }
  // An admin seeded with one broker sends its metadata requests to that broker, the only one it
  // has a connection to, so each of these asks one particular broker.
  await Promise.all(
    brokers.map(async (broker) => {
      const single = admin([broker]);
      await single.connect();
      try {
        await waitForTopicOn(single, broker, topic, timeoutMs);
      } finally {
        await single.disconnect();
      }
    }),
  );
}

async function waitForTopicOn(
  admin: Admin,
  broker: string,
  topic: ITopicConfig,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic.topic] });
      const partitions = metadata.topics[0]?.partitions ?? [];
      const expected = topic.numPartitions ?? partitions.length;
      if (partitions.length === expected && partitions.every((p) => p.leader >= 0)) return;
    } catch (error) {
      if (!(error instanceof KafkaJSProtocolError && error.type === 'UNKNOWN_TOPIC_OR_PARTITION')) {
        throw error;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`broker ${broker} does not know topic ${topic.topic} after ${timeoutMs} ms`);
    }
    await delay(50);
  }
}
