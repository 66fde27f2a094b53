import type { Client } from 'graphql-ws';
import { DeliveryTracker } from '../load/delivery-tracker.ts';
import { CONVERSATION_EVENTS } from '../load/documents.ts';
import { type BenchConversation, createGroups } from '../load/fixtures.ts';
import type { HostLink } from '../load/host-link.ts';
import { createHttpGql } from '../load/http-client.ts';
import { mapConcurrent } from '../load/pool.ts';
import { createSender } from '../load/sender.ts';
import { acknowledged, connectClient } from '../load/subscribers.ts';
import type { ApiEndpoints, ServerStats } from '../protocol.ts';
import { round } from '../stats.ts';

/** Scenario 4: the server's cost of idle, authenticated, subscribed connections. */
export interface ConnectionParams {
  /** Connection counts to measure at, ascending (e.g. 1000, 5000, 10000). */
  readonly levels: readonly number[];
  /** Groups the connections subscribe to, and their size (users are shared by sockets). */
  readonly groups: number;
  readonly groupSize: number;
  /** How long each level sits idle while event-loop delay is sampled. */
  readonly idleSeconds: number;
}

export interface ConnectionLevel {
  readonly connections: number;
  readonly openSeconds: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  /** Growth over the no-connection reading, divided by the connections (after a full GC). */
  readonly heapPerConnectionKb: number;
  readonly rssPerConnectionKb: number;
  readonly externalPerConnectionKb: number;
  /** While idle (keep-alive pings only). */
  readonly eventLoopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly idleCpuPercent: number;
}

export interface ConnectionResult {
  readonly baseline: { readonly rssMb: number; readonly heapUsedMb: number };
  readonly levels: readonly ConnectionLevel[];
  readonly errors: number;
  readonly errorSamples: readonly string[];
}

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);
const kb = (bytes: number) => round(bytes / 1024, 2);

/** Opens connections level by level on the first API instance and reads its memory. */
export async function runConnections(
  params: ConnectionParams,
  api: ApiEndpoints,
  host: HostLink,
): Promise<ConnectionResult> {
  const [url] = api.urls;
  if (!url) throw new Error('no API instance');
  const wsUrl = `${url.replace(/^http/, 'ws')}/graphql`;
  const http = createHttpGql(url, 32);
  const groups = await createGroups(http, params.groups, params.groupSize, 'cx');
  const members = groups.flatMap((group) => group.members.map((member) => ({ group, member })));

  let errors = 0;
  let closing = false;
  const errorSamples: string[] = [];
  const fail = (message: string) => {
    errors += 1;
    if (errorSamples.length < 5) errorSamples.push(message);
  };
  const clients: Client[] = [];
  const subscribedTo = new Map<string, number>();
  let listener: ((clientId: string, at: number) => void) | null = null;

  const open = async (index: number) => {
    const target = members[index % members.length];
    if (!target) throw new Error('no members to connect as');
    const client = connectClient(wsUrl, target.member.token, (code) => {
      if (!closing) fail(`socket closed with ${code}`);
    });
    clients.push(client);
    await acknowledged(client);
    subscribedTo.set(target.group.id, (subscribedTo.get(target.group.id) ?? 0) + 1);
    client.subscribe(
      { query: CONVERSATION_EVENTS, variables: { conversationId: target.group.id } },
      {
        next: (result: { data?: { conversationEvents?: { message?: { clientId?: string } } } }) => {
          const clientId = result.data?.conversationEvents?.message?.clientId;
          if (clientId) listener?.(clientId, performance.now());
        },
        error: (error: unknown) => {
          if (!closing) fail(error instanceof Error ? error.message : JSON.stringify(error));
        },
        complete: () => {
          if (!closing) fail('subscription completed by the server');
        },
      },
    );
  };

  try {
    const base = await host.ask({ kind: 'serverStats', instance: 0, gc: true });
    const levels: ConnectionLevel[] = [];
    for (const level of params.levels) {
      host.progress(`opening connections ${clients.length} → ${level}`);
      const started = performance.now();
      const indexes = Array.from({ length: level - clients.length }, (_, i) => clients.length + i);
      await mapConcurrent(indexes, 100, open);
      await everySubscriptionLive(http, groups, subscribedTo, (next) => {
        listener = next;
      });
      const openSeconds = round((performance.now() - started) / 1000, 1);
      // Reset the event-loop histogram, then sit idle.
      await host.ask({ kind: 'serverStats', instance: 0, gc: false });
      const idleStarted = await host.ask({ kind: 'serverStats', instance: 0, gc: false });
      const idleBegan = performance.now();
      await new Promise((resolve) => setTimeout(resolve, params.idleSeconds * 1000));
      const idle = await host.ask({ kind: 'serverStats', instance: 0, gc: false });
      const idleCpuPercent = round(
        (100 * (idle.cpuMicros - idleStarted.cpuMicros)) / ((performance.now() - idleBegan) * 1000),
        1,
      );
      const after = await host.ask({ kind: 'serverStats', instance: 0, gc: true });
      levels.push(describeLevel(level, openSeconds, base, after, idle, idleCpuPercent));
      const last = levels.at(-1);
      if (last) {
        host.progress(
          `  ${level} connections: heap ${last.heapPerConnectionKb} KB/conn, RSS ${last.rssPerConnectionKb} KB/conn, ` +
            `event-loop delay p99 ${last.eventLoopDelay.p99} ms (opened in ${openSeconds}s)`,
        );
      }
    }
    return {
      baseline: { rssMb: mb(base.rss), heapUsedMb: mb(base.heapUsed) },
      levels,
      errors,
      errorSamples,
    };
  } finally {
    closing = true;
    await mapConcurrent(clients, 500, async (client) => client.dispose());
    http.close();
  }
}

function describeLevel(
  connections: number,
  openSeconds: number,
  base: ServerStats,
  after: ServerStats,
  idle: ServerStats,
  idleCpuPercent: number,
): ConnectionLevel {
  return {
    connections,
    openSeconds,
    rssMb: mb(after.rss),
    heapUsedMb: mb(after.heapUsed),
    heapPerConnectionKb: kb((after.heapUsed - base.heapUsed) / connections),
    rssPerConnectionKb: kb((after.rss - base.rss) / connections),
    externalPerConnectionKb: kb(
      (after.external + after.arrayBuffers - base.external - base.arrayBuffers) / connections,
    ),
    eventLoopDelay: {
      p50: round(idle.eventLoopDelay.p50, 2),
      p99: round(idle.eventLoopDelay.p99, 2),
      max: round(idle.eventLoopDelay.max, 2),
    },
    idleCpuPercent,
  };
}

/**
 * One message per group must reach every socket subscribed to it; groups that fall short
 * (a subscription not live yet) are poked again.
 */
async function everySubscriptionLive(
  http: ReturnType<typeof createHttpGql>,
  groups: readonly BenchConversation[],
  subscribedTo: ReadonlyMap<string, number>,
  listen: (listener: ((clientId: string, at: number) => void) | null) => void,
): Promise<void> {
  let pending = groups.filter((group) => (subscribedTo.get(group.id) ?? 0) > 0);
  for (let round = 1; round <= 20 && pending.length > 0; round += 1) {
    const trackers = new Map(
      pending.map((group) => [group.id, new DeliveryTracker(subscribedTo.get(group.id) ?? 0)]),
    );
    const byClientId = new Map<string, DeliveryTracker>();
    listen((clientId, at) => byClientId.get(clientId)?.delivered(clientId, at));
    const sender = createSender(http, pending, 1);
    await mapConcurrent(pending, 16, async (group, index) => {
      const tracker = trackers.get(group.id);
      if (!tracker) return;
      const clientId = `live-${round}-${group.id}`;
      byClientId.set(clientId, tracker);
      await sender.send(tracker, index, clientId);
    });
    const settled = await Promise.all(
      pending.map((group) => trackers.get(group.id)?.settled(5_000) ?? true),
    );
    listen(null);
    pending = pending.filter((_, index) => !settled[index]);
  }
  if (pending.length > 0) {
    throw new Error(`${pending.length} groups still had subscriptions that were not live`);
  }
}
