/**
 * Apache Kafka: a 3-node KRaft cluster (each node broker + controller) run from the official
 * jars on Maven Central, fetched by the pom kept beside this file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { ensureAptCommand } from './apt.ts';
import { kafkaBrokers, type ServiceName, type ServicesConfig, servicePaths } from './config.ts';
import { portOpen, runCommand } from './process.ts';
import type { Log, ServiceDef } from './service.ts';

const pom = join(import.meta.dirname, 'kafka', 'pom.xml');

/** The three nodes; node ids 1–3 map to kafka-1…kafka-3. */
export const KAFKA_NODE_IDS = [1, 2, 3] as const;

/** One node's ports and folder. */
interface KafkaNode {
  readonly id: number;
  readonly name: ServiceName;
  readonly port: number;
  readonly controllerPort: number;
  readonly dir: string;
}

function kafkaNodes(config: ServicesConfig): KafkaNode[] {
  const names = ['kafka-1', 'kafka-2', 'kafka-3'] as const;
  return names.map((name, i) => ({
    id: i + 1,
    name,
    port: config.kafkaPortBase + i,
    controllerPort: config.kafkaControllerPortBase + i,
    dir: join(servicePaths(config).kafka, name),
  }));
}

/**
 * Fetches the jars (cached until the pom changes), writes each node's config and formats the
 * storage of any node that has none, all with one cluster id.
 */
export async function prepareKafka(config: ServicesConfig, log: Log): Promise<void> {
  const paths = servicePaths(config);
  const setupLog = join(paths.logs, 'setup-kafka.log');
  await ensureAptCommand('java', 'default-jre-headless', join(paths.logs, 'setup-apt.log'), log);
  await ensureKafkaLibs(config, setupLog, log);
  writeLog4jConfig(config);
  const clusterId = ensureClusterId(config);
  const nodes = kafkaNodes(config);
  for (const node of nodes) writeNodeConfig(config, node);
  const unformatted = nodes.filter(
    (node) => !existsSync(join(node.dir, 'data', 'meta.properties')),
  );
  await Promise.all(
    unformatted.map((node) => {
      log(`formatting ${node.name} storage (cluster id ${clusterId})`);
      return runCommand(
        'java',
        [
          ...javaBaseArgs(config),
          'kafka.tools.StorageTool',
          'format',
          '--cluster-id',
          clusterId,
          '--config',
          join(node.dir, 'server.properties'),
          '--ignore-formatted',
        ],
        { cwd: node.dir, logFile: setupLog },
      );
    }),
  );
}

async function ensureKafkaLibs(config: ServicesConfig, setupLog: string, log: Log): Promise<void> {
  const libs = join(servicePaths(config).kafka, 'libs');
  const stamp = join(libs, '.pom.sha256');
  const wanted = createHash('sha256').update(readFileSync(pom)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) return;
  await ensureAptCommand('mvn', 'maven', join(servicePaths(config).logs, 'setup-apt.log'), log);
  log(`downloading Kafka jars from Maven Central (mvn dependency:copy-dependencies; ${pom})`);
  // Download into a scratch folder and swap it in, so an interrupted fetch is never taken as done.
  const scratch = `${libs}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  await runCommand(
    'mvn',
    ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${scratch}`],
    { logFile: setupLog },
  );
  writeFileSync(join(scratch, '.pom.sha256'), `${wanted}\n`);
  rmSync(libs, { recursive: true, force: true });
  renameSync(scratch, libs);
}

function ensureClusterId(config: ServicesConfig): string {
  const file = join(servicePaths(config).kafka, 'cluster.id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  // Kafka cluster ids are 16 random bytes in unpadded base64url, as `kafka-storage random-uuid` prints.
  const id = randomBytes(16).toString('base64url');
  mkdirSync(servicePaths(config).kafka, { recursive: true });
  writeFileSync(file, `${id}\n`);
  return id;
}

function writeNodeConfig(config: ServicesConfig, node: KafkaNode): void {
  const voters = kafkaNodes(config)
    .map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`)
    .join(',');
  mkdirSync(node.dir, { recursive: true });
  writeFileSync(
    join(node.dir, 'server.properties'),
    [
      '# Written by scripts/services/kafka.ts; edits are overwritten.',
      'process.roles=broker,controller',
      `node.id=${node.id}`,
      `controller.quorum.voters=${voters}`,
      `listeners=PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${node.port}`,
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${join(node.dir, 'data')}`,
      // Durability as in production: every write is on at least two of three replicas.
      'num.partitions=3',
      'default.replication.factor=3',
      'min.insync.replicas=2',
      'offsets.topic.replication.factor=3',
      'offsets.topic.num.partitions=10',
      'transaction.state.log.replication.factor=3',
      'transaction.state.log.min.isr=2',
      'transaction.state.log.num.partitions=10',
      'unclean.leader.election.enable=false',
      // Topics are created on purpose (with their settings), never by a stray produce.
      'auto.create.topics.enable=false',
      // Tests form and re-form consumer groups constantly; don't make each wait 3 s.
      'group.initial.rebalance.delay.ms=0',
      // Two cores shared by everything: keep the thread pools small.
      'num.network.threads=2',
      'num.io.threads=4',
      'background.threads=4',
      'num.recovery.threads.per.data.dir=1',
      '',
    ].join('\n'),
  );
}

function writeLog4jConfig(config: ServicesConfig): void {
  writeFileSync(
    join(servicePaths(config).kafka, 'log4j.properties'),
    [
      '# Written by scripts/services/kafka.ts: everything to stdout, which goes to .services/logs.',
      'log4j.rootLogger=INFO, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
      // Per-request and per-segment chatter drowns what matters when tests create many topics.
      'log4j.logger.kafka.request.logger=WARN',
      'log4j.logger.state.change.logger=WARN',
      'log4j.logger.kafka.log=WARN',
      'log4j.logger.org.apache.kafka.storage.internals.log=WARN',
      '',
    ].join('\n'),
  );
}

function javaBaseArgs(config: ServicesConfig): string[] {
  const kafkaDir = servicePaths(config).kafka;
  // Small, but not smaller: at 256 MB a broker was seen to die of OutOfMemoryError at start-up.
  return [
    '-Xms256m',
    '-Xmx512m',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${join(kafkaDir, 'log4j.properties')}`,
    '-cp',
    // Expanded by java itself, not by a shell.
    join(kafkaDir, 'libs', '*'),
  ];
}

/** The three Kafka node processes. */
export function kafkaServices(config: ServicesConfig): ServiceDef[] {
  const paths = servicePaths(config);
  return kafkaNodes(config).map((node) => ({
    name: node.name,
    port: node.port,
    spec: {
      name: node.name,
      command: 'java',
      args: [...javaBaseArgs(config), 'kafka.Kafka', join(node.dir, 'server.properties')],
      cwd: node.dir,
      logFile: join(paths.logs, `${node.name}.log`),
      pidFile: join(paths.run, `${node.name}.pid`),
    },
    ready: () => kafkaNodeReady(config, node),
  }));
}

/** The node ids the cluster currently reports (brokers registered and unfenced). */
export async function kafkaClusterBrokerIds(config: ServicesConfig): Promise<number[]> {
  const kafka = new Kafka({
    clientId: 'parley-services',
    brokers: kafkaBrokers(config),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.map((broker) => broker.nodeId).sort((a, b) => a - b);
  } finally {
    await admin.disconnect();
  }
}

/**
 * A node serves once its broker port is open and the cluster lists it. Both are needed: a node
 * killed seconds ago is still listed until its session times out.
 */
async function kafkaNodeReady(config: ServicesConfig, node: KafkaNode): Promise<boolean> {
  if (!(await portOpen(node.port))) return false;
  try {
    return (await kafkaClusterBrokerIds(config)).includes(node.id);
  } catch {
    // Not reachable yet (or no broker answered): the caller keeps polling until its timeout.
    return false;
  }
}

/** Waits until describeCluster lists every node in ids; the timeout error says what it last saw. */
export async function waitForKafkaCluster(
  config: ServicesConfig,
  ids: readonly number[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastSeen = 'no answer yet';
  for (;;) {
    try {
      const seen = await kafkaClusterBrokerIds(config);
      if (ids.every((id) => seen.includes(id))) return;
      lastSeen = `brokers [${seen.join(', ')}]`;
    } catch (error) {
      lastSeen = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Kafka cluster did not report brokers [${ids.join(', ')}] within ${timeoutMs} ms (last: ${lastSeen})`,
      );
    }
    await delay(500);
  }
}

/**
 * Creates Kafka's consumer-offsets topic now rather than on the first group join, which
 * otherwise makes the first test that uses a consumer group wait seconds for a coordinator.
 */
export async function warmKafkaCluster(config: ServicesConfig): Promise<void> {
  const kafka = new Kafka({
    clientId: 'parley-services',
    brokers: kafkaBrokers(config),
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, maxRetryTime: 2000 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Finding a group's coordinator makes the cluster create and load __consumer_offsets.
    await admin.describeGroups(['parley-services-warmup']);
  } finally {
    await admin.disconnect();
  }
}
