/**
 * Fault tests: real services are stopped and real processes killed while messages stream in,
 * then every acknowledged message must be in MongoDB exactly once with its seq. Each test
 * prints `acknowledged / stored / duplicates`. They stop services every other test file
 * shares, so they are registered from `api/test/faults/` (vitest project `faults`), which
 * `npm test` runs after everything else, one file at a time: call `describeFaultSuite()`
 * from a test file there.
 */
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  requireRedisUrl,
  type ServiceTarget,
  servicesAvailable,
  startService,
  stopService,
} from '../support/services.ts';
import {
  type ClusterUser,
  createDeployment,
  type Deployment,
  gql,
  openDirect,
  type ServiceProcess,
  signUp,
  wsClient,
} from './cluster.ts';
import { feed, storedMessages } from './feeds.ts';
import { SendStream, verifyStored } from './send-stream.ts';

const FAULT_TIMEOUT_MS = 300_000;

const EVENTS = `subscription ($id: ID!, $after: Int) {
  conversationEvents(conversationId: $id, afterSeq: $after) { __typename
    ... on MessageAdded { message { id seq } } } }`;

interface EventPayload {
  readonly conversationEvents: {
    readonly __typename: string;
    readonly message?: { readonly id: string; readonly seq: number };
  };
}

/** Registers the six fault tests (skipped without the services). */
export function describeFaultSuite(): void {
  describe.runIf(servicesAvailable())('faults: nothing acknowledged is lost or duplicated', () => {
    let deployment: Deployment;
    let a: ServiceProcess;
    let b: ServiceProcess;
    let worker: ServiceProcess;
    let alice: ClusterUser;
    const stopped = new Set<ServiceTarget>();
    const clients: Client[] = [];

    async function stop(target: ServiceTarget, signal?: 'SIGKILL'): Promise<void> {
      stopped.add(target);
      await stopService(target, signal ? { signal } : {});
    }

    async function start(target: ServiceTarget): Promise<void> {
      await startService(target);
      stopped.delete(target);
    }

    /** A fresh conversation of Alice and a new contact, so each fault is counted on its own. */
    async function conversation(name: string): Promise<{ id: string; peer: ClusterUser }> {
      const peer = await signUp(a, name);
      return { id: await openDirect(a, alice, peer), peer };
    }

    function outboxDepth(redis: Redis): Promise<number> {
      return redis.xlen(`${deployment.keyPrefix}:outbox`);
    }

    beforeAll(async () => {
      deployment = await createDeployment('parley-fault');
      // The scale-out shape: persistence runs only in standalone workers.
      const apiEnv = { PERSISTENCE_WORKER_IN_API: 'false' };
      a = await deployment.startApi(apiEnv);
      b = await deployment.startApi(apiEnv);
      worker = await deployment.startWorker();
      alice = await signUp(a, 'Alice');
    });

    afterAll(async () => {
      // Whatever happened, leave every service running for the next test.
      for (const target of [...stopped]) await start(target);
      await Promise.all(clients.map((client) => client.dispose()));
      await deployment?.dispose();
    }, FAULT_TIMEOUT_MS);

    it(
      '1. one of three brokers stops mid-stream and comes back',
      async () => {
        const { id } = await conversation('Broker');
        const stream = new SendStream(a, alice, id, 'broker');
        try {
          await stream.ackedMore(50);
          await stop('kafka-2');
          await stream.ackedMore(50);
          await start('kafka-2');
          await stream.ackedMore(50);
        } finally {
          await stream.stop();
        }
        await verifyStored('1 broker stopped', deployment.mongoUrl, id, stream);
      },
      FAULT_TIMEOUT_MS,
    );

    it(
      '2. FerretDB stops for a while: the worker pauses, then catches up',
      async () => {
        const { id } = await conversation('Store');
        const stream = new SendStream(a, alice, id, 'store');
        const failuresBefore = countLogs(worker, 'persisting a batch failed');
        try {
          await stream.ackedMore(50);
          await stop('ferretdb');
          // Sends fail while the store is away (membership is read from it); keep trying.
          await stream.failedMore(8);
          await start('ferretdb');
          await stream.ackedMore(50);
        } finally {
          await stream.stop();
        }
        await stream.retryFailed();
        await verifyStored('2 FerretDB stopped', deployment.mongoUrl, id, stream);
        console.log(
          `[fault] 2 FerretDB stopped: the worker failed and retried ${countLogs(worker, 'persisting a batch failed') - failuresBefore} batch write(s) while it was away`,
        );
      },
      FAULT_TIMEOUT_MS,
    );

    it(
      '3. the standalone worker is killed (kill -9) mid-batch and another takes over',
      async () => {
        const { id } = await conversation('Worker');
        const stream = new SendStream(a, alice, id, 'worker');
        let replacement: ServiceProcess;
        try {
          await stream.ackedMore(30);
          // A backlog keeps the next worker busy writing batch after batch, so the kill lands
          // inside one: written to the store, its offsets not yet committed.
          await worker.stop('SIGTERM');
          await stream.ackedMore(300);
          const doomed = await deployment.startWorker();
          await doomed.waitForLog((line) => line.msg === 'batch persisted');
          await doomed.stop('SIGKILL');
          await stream.ackedMore(50);
          replacement = await deployment.startWorker();
          worker = replacement;
          await stream.ackedMore(50);
        } finally {
          await stream.stop();
        }
        await verifyStored('3 worker killed', deployment.mongoUrl, id, stream);
        const absorbed = replacement.logs
          .filter((line) => line.msg === 'batch persisted')
          .reduce((sum, line) => sum + Number(line['duplicates'] ?? 0), 0);
        console.log(
          `[fault] 3 worker killed: the new worker re-read ${absorbed} record(s) that the killed one had stored without committing; the store absorbed them`,
        );
      },
      FAULT_TIMEOUT_MS,
    );

    it(
      '4. all of Kafka stops: sends go to the outbox, which drains when Kafka is back',
      async () => {
        const { id } = await conversation('Kafka');
        const redis = new Redis(requireRedisUrl());
        const stream = new SendStream(a, alice, id, 'kafka');
        let deepest = 0;
        try {
          await stream.ackedMore(50);
          await stop('kafka');
          await stream.ackedMore(50);
          deepest = await outboxDepth(redis);
          expect(deepest).toBeGreaterThan(0);
          await start('kafka');
          await stream.ackedMore(50);
        } finally {
          await stream.stop();
        }
        await verifyStored('4 Kafka stopped', deployment.mongoUrl, id, stream);
        expect(await outboxDepth(redis)).toBe(0);
        console.log(`[fault] 4 Kafka stopped: ${deepest} record(s) were waiting in the outbox`);
        redis.disconnect();
      },
      FAULT_TIMEOUT_MS,
    );

    it(
      '5. Redis stops: sends persist, history comes from the store, fan-out resumes',
      async () => {
        const { id, peer } = await conversation('Redis');
        const subscriber = wsClient(b, peer);
        clients.push(subscriber);
        const events = feed<EventPayload>(subscriber, EVENTS, { id });
        const stream = new SendStream(a, alice, id, 'redis');
        let lastSeen = 0;
        try {
          await stream.ackedMore(30);
          // Fan-out works before the fault: the subscriber on B sees A's messages.
          lastSeen = (await events.next()).conversationEvents.message?.seq ?? 0;
          await stop('redis');
          await stream.ackedMore(30);
          // Its stream ended with an error: the event bus cannot promise what it missed.
          expect((await events.ended).error).not.toBeNull();

          const duringOutage = stream.acked.at(-1);
          await storedMessages(deployment.mongoUrl, id, (stored) =>
            stored.some((message) => message.id === duringOutage?.id),
          );
          const history = await gql<{
            conversation: { messages: { edges: { node: { id: string } }[] } };
          }>(
            b,
            'query ($id: ID!) { conversation(id: $id) { messages(last: 100) { edges { node { id } } } } }',
            { id },
            peer.token,
          );
          expect(history.errors).toBeUndefined();
          const ids = history.data?.conversation.messages.edges.map((edge) => edge.node.id);
          expect(ids).toContain(duringOutage?.id);

          await start('redis');
          await stream.ackedMore(30);
        } finally {
          await stream.stop();
        }
        // The client resumes after the last seq it saw: everything since, then live events.
        const resumed = feed<EventPayload>(subscriber, EVENTS, { id, after: lastSeen });
        const expected = stream.acked
          .filter((message) => message.seq > lastSeen)
          .map((message) => message.seq)
          .sort((x, y) => x - y);
        const received: number[] = [];
        while (received.length < expected.length) {
          const seq = (await resumed.next()).conversationEvents.message?.seq;
          if (seq !== undefined) received.push(seq);
        }
        expect(received).toEqual(expected);
        resumed.stop();
        await verifyStored('5 Redis stopped', deployment.mongoUrl, id, stream);
      },
      FAULT_TIMEOUT_MS,
    );

    it(
      '6. Redis loses everything (FLUSHALL) mid-stream: no seq is reused',
      async () => {
        const { id } = await conversation('Flush');
        const redis = new Redis(requireRedisUrl());
        const stream = new SendStream(a, alice, id, 'flush');
        try {
          await stream.ackedMore(50);
          expect(await redis.flushall()).toBe('OK');
          await stream.ackedMore(50);
        } finally {
          await stream.stop();
          redis.disconnect();
        }
        await verifyStored('6 FLUSHALL', deployment.mongoUrl, id, stream);
      },
      FAULT_TIMEOUT_MS,
    );
  });
}

/** Log lines of `process` whose message starts with `message`. */
function countLogs(process: ServiceProcess, message: string): number {
  return process.logs.filter((line) => line.msg?.startsWith(message)).length;
}
