/**
 * Real API and worker processes for the distributed tests: `node api/src/main.ts` and
 * `node api/src/worker.ts` as children, sharing one deployment (Redis key prefix, Kafka
 * topics and consumer group, MongoDB database) that no other test uses.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { type Client, createClient } from 'graphql-ws';
import { Kafka, logLevel } from 'kafkajs';
import { createConnection } from 'mongoose';
import WebSocket from 'ws';
import { Condition } from '../contracts/fixtures.ts';
import {
  requireKafkaBrokers,
  requireMongoUrl,
  requireRedisUrl,
  uniqueName,
  withDatabase,
} from '../support/services.ts';
import { deleteKeys, RedisConnections } from './support.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
const JWT_SECRET = 'distributed-test-secret-0123456789-abcdefghij';

/** One isolated deployment on the shared services. */
export interface Deployment {
  readonly env: Readonly<Record<string, string>>;
  readonly keyPrefix: string;
  readonly topic: string;
  readonly mongoUrl: string;
  /** Stops every process it started, then deletes its topics, keys and database. */
  dispose(): Promise<void>;
  startApi(extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  startWorker(extraEnv?: Record<string, string>): Promise<ServiceProcess>;
}

/** A pino log line. */
export type LogLine = Record<string, unknown> & { readonly msg?: string };

/** A child process of ours, with its structured log. */
export interface ServiceProcess {
  readonly url: string;
  readonly wsUrl: string;
  readonly logs: readonly LogLine[];
  /** Resolves with the first log line (past or future) that matches. */
  waitForLog(match: (line: LogLine) => boolean): Promise<LogLine>;
  /** SIGTERM (graceful) or SIGKILL (crash); resolves once the process exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export async function createDeployment(name: string): Promise<Deployment> {
  const topic = uniqueName(name);
  const database = uniqueName(name);
  const keyPrefix = uniqueName(name);
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-dist-'));
  const mongoUrl = withDatabase(requireMongoUrl(), database);
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    WORKER_PORT: '0',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    JWT_SECRET,
    PASSWORD_SCRYPT_LOG2N: '10',
    RATE_LIMIT_SEND_MESSAGE: '100000/1s',
    RATE_LIMIT_SIGN_UP: '100000/1s',
    RATE_LIMIT_LOG_IN: '100000/1s',
    PRESENCE_GRACE_MS: '0',
    SHUTDOWN_TIMEOUT_MS: '2000',
    REDIS_URL: requireRedisUrl(),
    KAFKA_BROKERS: requireKafkaBrokers().join(','),
    MONGO_URL: mongoUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    KAFKA_TOPIC: topic,
    KAFKA_DLQ_TOPIC: `${topic}-dlq`,
    KAFKA_CONSUMER_GROUP: `${topic}-persistence`,
    KAFKA_PARTITIONS: '3',
    KAFKA_SESSION_TIMEOUT_MS: '8000',
  };
  const processes: ServiceProcess[] = [];

  const start = async (
    script: string,
    ready: string,
    extraEnv: Record<string, string>,
  ): Promise<ServiceProcess> => {
    const child = await startProcess(script, ready, { ...env, ...extraEnv });
    processes.push(child);
    return child;
  };

  return {
    env,
    keyPrefix,
    topic,
    mongoUrl,
    startApi: (extraEnv = {}) => start('api/src/main.ts', 'listening', extraEnv),
    startWorker: (extraEnv = {}) => start('api/src/worker.ts', 'worker started', extraEnv),
    async dispose() {
      await Promise.all(processes.map((child) => child.stop('SIGTERM')));
      const kafka = new Kafka({
        clientId: 'parley-test-cleanup',
        brokers: requireKafkaBrokers(),
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      const existing = new Set(await admin.listTopics());
      await admin.deleteTopics({
        topics: [topic, `${topic}-dlq`].filter((name) => existing.has(name)),
      });
      await admin.disconnect();
      const connections = new RedisConnections();
      await deleteKeys(await connections.open(), keyPrefix);
      await connections.closeAll();
      const mongo = await createConnection(mongoUrl).asPromise();
      await mongo.dropDatabase();
      await mongo.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function startProcess(
  script: string,
  readyMessage: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const changed = new Condition();
  const stderr: string[] = [];
  let exited = false;
  const exit = new Promise<void>((resolvePromise) => {
    child.once('exit', () => {
      exited = true;
      changed.notify();
      resolvePromise();
    });
  });
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ msg: line });
      }
      changed.notify();
    });
  }
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));

  const waitForLog = async (match: (line: LogLine) => boolean): Promise<LogLine> => {
    let found: LogLine | undefined;
    await changed.until(() => {
      found = logs.find(match);
      return found !== undefined || exited;
    });
    if (!found) throw new Error(`${script} exited: ${stderr.join('').slice(-2000)}`);
    return found;
  };

  const ready = await waitForLog((line) => line.msg === readyMessage);
  const url = String(ready['url']).replace(/\/graphql$/, '');
  return {
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/graphql`,
    logs,
    waitForLog,
    async stop(signal = 'SIGTERM') {
      if (exited) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** One GraphQL response. */
export interface GraphQLResult<T> {
  readonly data?: T | null;
  readonly errors?: readonly { readonly message: string; readonly extensions?: object }[];
}

/** A GraphQL request over HTTP to a running API. */
export async function gql<T>(
  api: Pick<ServiceProcess, 'url'>,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResult<T>> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResult<T>;
}

/** A user signed up through an API. */
export interface ClusterUser {
  readonly id: string;
  readonly email: string;
  readonly token: string;
}

export async function signUp(api: ServiceProcess, name: string): Promise<ClusterUser> {
  const email = `${name.toLowerCase()}-${randomUUID()}@example.test`;
  const result = await gql<{ signUp: { accessToken: string; user: { id: string } } }>(
    api,
    `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }`,
    { input: { email, password: 'correct horse battery', name } },
  );
  const payload = result.data?.signUp;
  if (!payload) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
  return { id: payload.user.id, email, token: payload.accessToken };
}

export async function openDirect(api: ServiceProcess, a: ClusterUser, b: ClusterUser) {
  const result = await gql<{ openDirectConversation: { id: string } }>(
    api,
    'mutation ($userId: ID!) { openDirectConversation(userId: $userId) { id } }',
    { userId: b.id },
    a.token,
  );
  const id = result.data?.openDirectConversation.id;
  if (!id) throw new Error(`openDirectConversation failed: ${JSON.stringify(result.errors)}`);
  return id;
}

/** What `sendMessage` returned. */
export interface Sent {
  readonly id: string;
  readonly seq: number;
  readonly body: string;
  readonly clientId: string;
}

/** Sends one message; resolves with it, or with the error text when the send failed. */
export async function trySend(
  api: ServiceProcess,
  user: ClusterUser,
  conversationId: string,
  body: string,
  clientId: string = randomUUID(),
): Promise<Sent | { readonly error: string }> {
  try {
    const result = await gql<{ sendMessage: Sent }>(
      api,
      `mutation ($input: SendMessageInput!) {
        sendMessage(input: $input) { id seq body clientId } }`,
      { input: { conversationId, body, clientId } },
      user.token,
    );
    return result.data?.sendMessage ?? { error: JSON.stringify(result.errors) };
  } catch (error) {
    return { error: String(error) };
  }
}

/** A graphql-ws client on a running API (no retries: a dropped socket is the test's business). */
export function wsClient(api: ServiceProcess, user: ClusterUser): Client {
  return createClient({
    url: api.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: { authorization: `Bearer ${user.token}` },
  });
}
