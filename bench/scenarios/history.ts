import { setTimeout as delay } from 'node:timers/promises';
import { DeliveryTracker } from '../load/delivery-tracker.ts';
import { CONVERSATION_VIEW } from '../load/documents.ts';
import { type BenchConversation, createGroups } from '../load/fixtures.ts';
import type { HostLink } from '../load/host-link.ts';
import { createHttpGql, dataOf, type HttpGql } from '../load/http-client.ts';
import { mapConcurrent } from '../load/pool.ts';
import { createSender } from '../load/sender.ts';
import { openStoreWatch } from '../load/store-watch.ts';
import type { ApiEndpoints } from '../protocol.ts';
import { Samples, type Summary } from '../stats.ts';

/** Scenario 5: `messages(last: 50)` from the recent-window cache against the store. */
export interface HistoryParams {
  readonly conversations: number;
  /** Messages sent to each conversation before reading (more than a page). */
  readonly messagesPerConversation: number;
  /** Cached reads per conversation after the cold one. */
  readonly warmRounds: number;
  readonly pageSize: number;
  /** Distributed: the store to wait on, so every message is persisted before the restart. */
  readonly mongoUrl: string | null;
}

export interface HistoryResult {
  /** First read after a restart: the cache is empty, so the page comes from the store. */
  readonly store: Summary;
  /** Later reads of the same pages: served from the cache window. */
  readonly cache: Summary;
  readonly conversations: number;
  readonly pageSize: number;
}

/**
 * Fills conversations, restarts the API (emptying its cache: the embedded cache is in
 * memory; distributed restarts get a fresh Redis key prefix), then reads each page once
 * cold and `warmRounds` times warm, one request at a time.
 */
export async function runHistory(
  params: HistoryParams,
  api: ApiEndpoints,
  host: HostLink,
): Promise<HistoryResult> {
  const [url] = api.urls;
  if (!url) throw new Error('no API instance');
  const setupHttp = createHttpGql(url, 64);
  let conversations: BenchConversation[];
  try {
    conversations = await createGroups(setupHttp, params.conversations, 2, 'hs');
    const total = params.conversations * params.messagesPerConversation;
    host.progress(`sending ${total} messages to ${params.conversations} conversations`);
    const sender = createSender(setupHttp, conversations, 2);
    const tracker = new DeliveryTracker(0);
    const indexes = Array.from({ length: total }, (_, index) => index);
    await mapConcurrent(indexes, 32, (index) => sender.send(tracker, index, `hs-${index}`));
    const { acked, sendErrors } = tracker.counts();
    if (acked !== total)
      throw new Error(`history setup sends failed: ${JSON.stringify(sendErrors)}`);
  } finally {
    setupHttp.close();
  }
  if (params.mongoUrl) {
    host.progress('waiting until the store holds every message');
    await waitUntilStored(
      params.mongoUrl,
      conversations,
      params.conversations * params.messagesPerConversation,
    );
  }

  host.progress('restarting the API to empty its cache');
  const restarted = await host.ask({ kind: 'restartApi' });
  const [freshUrl] = restarted.urls;
  if (!freshUrl) throw new Error('no API instance after restart');
  const http = createHttpGql(freshUrl, 1);
  try {
    host.progress(`cold reads of ${conversations.length} pages`);
    const store = new Samples();
    for (const conversation of conversations)
      store.push(await readPage(http, conversation, params));
    host.progress(`warm reads: ${params.warmRounds} × ${conversations.length} pages`);
    const cache = new Samples();
    for (let round = 0; round < params.warmRounds; round += 1) {
      for (const conversation of conversations)
        cache.push(await readPage(http, conversation, params));
    }
    return {
      store: store.summary(),
      cache: cache.summary(),
      conversations: conversations.length,
      pageSize: params.pageSize,
    };
  } finally {
    http.close();
  }
}

async function waitUntilStored(
  mongoUrl: string,
  conversations: readonly BenchConversation[],
  total: number,
  timeoutMs = 120_000,
): Promise<void> {
  const store = await openStoreWatch(mongoUrl);
  try {
    const ids = conversations.map((conversation) => conversation.id);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const stored = (await store.all(ids)).length;
      if (stored >= total) return;
      if (performance.now() > deadline) {
        throw new Error(`only ${stored} of ${total} messages reached the store`);
      }
      await delay(250);
    }
  } finally {
    await store.close();
  }
}

/** Reads the newest page and checks it is full; returns the round trip in ms. */
async function readPage(
  http: HttpGql,
  conversation: BenchConversation,
  params: HistoryParams,
): Promise<number> {
  const reader = conversation.members[1] ?? conversation.members[0];
  if (!reader) throw new Error('conversation without members');
  const started = performance.now();
  const response = await http.post<{
    conversation: { messages: { edges: unknown[]; pageInfo: { hasPreviousPage: boolean } } };
  }>(CONVERSATION_VIEW, { id: conversation.id, last: params.pageSize }, reader.token);
  const elapsed = performance.now() - started;
  const page = dataOf(response, 'ConversationView').conversation.messages;
  const expected = Math.min(params.pageSize, params.messagesPerConversation);
  if (page.edges.length !== expected) {
    throw new Error(`history read returned ${page.edges.length} messages, expected ${expected}`);
  }
  return elapsed;
}
