import { setTimeout as delay } from 'node:timers/promises';
import { DeliveryTracker } from '../load/delivery-tracker.ts';
import { createGroups } from '../load/fixtures.ts';
import type { HostLink } from '../load/host-link.ts';
import { createHttpGql } from '../load/http-client.ts';
import { openLoop } from '../load/open-loop.ts';
import { createSender } from '../load/sender.ts';
import { loadCpuMeter, openServerWindow, type ServerUsage } from '../load/server-window.ts';
import { openStoreWatch, type StoreWatch } from '../load/store-watch.ts';
import type { ApiEndpoints } from '../protocol.ts';
import { round, Samples, type Summary } from '../stats.ts';

/** Scenario 3 (distributed): sent → in MongoDB, then a loss check. */
export interface PersistenceParams {
  /** The database the API under test writes to. */
  readonly mongoUrl: string;
  readonly conversations: number;
  readonly rates: readonly number[];
  readonly stepSeconds: number;
  /** How often the store is polled; lag is measured to the poll that saw the message. */
  readonly pollMs: number;
  /**
   * How long a step's end waits for its acknowledged messages to be stored (the rest count
   * as unseen, and the step as not sustained).
   */
  readonly stepSettleMs: number;
  /**
   * How long the loss check waits for every acknowledged message: at most `settleTimeoutMs`,
   * and not more than `stallTimeoutMs` without a new one appearing.
   */
  readonly settleTimeoutMs: number;
  readonly stallTimeoutMs: number;
  readonly maxInFlight: number;
}

export interface PersistenceStep {
  readonly offeredRate: number;
  readonly achievedRate: number;
  readonly acked: number;
  readonly sendErrors: Readonly<Record<string, number>>;
  readonly ack: Summary;
  /** Just before sendMessage → the poll response that first contained it, ms. */
  readonly lag: Summary;
  /** Acked messages of this step not yet seen when the step's wait ended. */
  readonly unseen: number;
  readonly server: ServerUsage;
  readonly loadCpuPercent: number;
}

export interface LossCheck {
  readonly acknowledged: number;
  /** Acknowledged messages found in the store exactly once. */
  readonly storedOnce: number;
  readonly missing: number;
  readonly duplicates: number;
  /** Stored messages whose send failed (allowed: the client would retry with the clientId). */
  readonly storedUnacknowledged: number;
  readonly waitedSeconds: number;
}

export interface PersistenceResult {
  readonly steps: readonly PersistenceStep[];
  readonly lossCheck: LossCheck;
  readonly pollMs: number;
}

/**
 * Offers each rate for `stepSeconds` while a poller reads the store with the raw driver,
 * noting when each message first appears; ends by reading every stored message back.
 */
export async function runPersistence(
  params: PersistenceParams,
  api: ApiEndpoints,
  host: HostLink,
): Promise<PersistenceResult> {
  const [url] = api.urls;
  if (!url) throw new Error('no API instance');
  const http = createHttpGql(url, params.maxInFlight);
  const store = await openStoreWatch(params.mongoUrl);
  const poller = new StorePoller(store, params.pollMs);
  try {
    const conversations = await createGroups(http, params.conversations, 2, 'ps');
    const sender = createSender(http, conversations, 2);
    poller.track(conversations.map((conversation) => conversation.id));
    const ackedIds = new Set<string>();
    const failedIds = new Set<string>();
    const steps: PersistenceStep[] = [];
    poller.start();
    for (const [index, rate] of params.rates.entries()) {
      host.progress(`persistence step ${index + 1}/${params.rates.length}: ${rate} msg/s`);
      const tracker = new DeliveryTracker(0);
      const lag = new Samples();
      const window = await openServerWindow(host, api.urls.length);
      const loadCpu = loadCpuMeter();
      const tag = `ps-${rate}-${Date.now().toString(36)}`;
      const run = await openLoop(rate, params.stepSeconds, params.maxInFlight, async (i) => {
        const clientId = `${tag}-${i}`;
        const sentAt = performance.now();
        poller.expect(clientId, (seenAt) => lag.push(seenAt - sentAt));
        const sent = await sender.send(tracker, i, clientId);
        if (sent) {
          ackedIds.add(clientId);
          poller.acked(clientId, sent.conversationId, sent.seq);
        } else {
          failedIds.add(clientId);
          poller.forget(clientId);
        }
      });
      await tracker.settled(30_000);
      const unseen = await poller.waitForAcked(params.stepSettleMs, params.stallTimeoutMs);
      const server = await window.end();
      const counts = tracker.counts();
      const step: PersistenceStep = {
        offeredRate: rate,
        achievedRate: round(run.started / Math.max(run.seconds, 1e-3), 1),
        acked: counts.acked,
        sendErrors: counts.sendErrors,
        ack: tracker.ackLatency(),
        lag: lag.summary(),
        unseen,
        server,
        loadCpuPercent: loadCpu(),
      };
      steps.push(step);
      host.progress(
        `  ${step.achievedRate}/${rate} msg/s: lag p50 ${step.lag.p50} p99 ${step.lag.p99} ` +
          `max ${step.lag.max} ms; ack p50 ${step.ack.p50} p99 ${step.ack.p99} ms; ` +
          `errors ${JSON.stringify(step.sendErrors)}; server CPU ${server.cpuPercent.join('/')}%`,
      );
    }
    host.progress('loss check: reading every message back from the store');
    const started = performance.now();
    await poller.waitForAcked(params.settleTimeoutMs, params.stallTimeoutMs);
    await poller.stop();
    const stored = await store.all(conversations.map((conversation) => conversation.id));
    const copies = new Map<string, number>();
    for (const message of stored) {
      if (message.clientId) copies.set(message.clientId, (copies.get(message.clientId) ?? 0) + 1);
    }
    let storedOnce = 0;
    let duplicates = 0;
    for (const clientId of ackedIds) {
      const count = copies.get(clientId) ?? 0;
      if (count === 1) storedOnce += 1;
      if (count > 1) duplicates += count - 1;
    }
    const lossCheck: LossCheck = {
      acknowledged: ackedIds.size,
      storedOnce,
      missing: [...ackedIds].filter((clientId) => !copies.has(clientId)).length,
      duplicates,
      storedUnacknowledged: [...failedIds].filter((clientId) => copies.has(clientId)).length,
      waitedSeconds: round((performance.now() - started) / 1000, 1),
    };
    host.progress(
      `  ${lossCheck.acknowledged} acknowledged, ${lossCheck.storedOnce} stored once, ` +
        `${lossCheck.missing} missing, ${lossCheck.duplicates} duplicates`,
    );
    return { steps, lossCheck, pollMs: params.pollMs };
  } finally {
    await poller.stop();
    await store.close();
    http.close();
  }
}

interface Watched {
  readonly onSeen: (seenAt: number) => void;
  conversationId: string | null;
  seq: number | null;
}

/**
 * Polls the store for messages above a per-conversation floor: the highest seq seen there,
 * or one below the lowest acknowledged seq not seen yet if lower, so each poll reads little.
 */
class StorePoller {
  readonly #store: StoreWatch;
  readonly #pollMs: number;
  readonly #watched = new Map<string, Watched>();
  readonly #highestSeen = new Map<string, number>();
  #running: Promise<void> | null = null;
  #stopping = false;
  #pollFailure: unknown = null;

  constructor(store: StoreWatch, pollMs: number) {
    this.#store = store;
    this.#pollMs = pollMs;
  }

  /** Watches these conversations from their start. */
  track(conversationIds: readonly string[]): void {
    for (const id of conversationIds) if (!this.#highestSeen.has(id)) this.#highestSeen.set(id, 0);
  }

  expect(clientId: string, onSeen: (seenAt: number) => void): void {
    this.#watched.set(clientId, { onSeen, conversationId: null, seq: null });
  }

  /** A send that failed: its message is not expected (and not timed) any more. */
  forget(clientId: string): void {
    this.#watched.delete(clientId);
  }

  acked(clientId: string, conversationId: string, seq: number): void {
    const watched = this.#watched.get(clientId);
    if (!watched) return;
    watched.conversationId = conversationId;
    watched.seq = seq;
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#running;
    this.#running = null;
  }

  /**
   * Waits until no acknowledged message is unseen, at most `timeoutMs` and at most `stallMs`
   * since the last one appeared; returns how many are still unseen.
   */
  async waitForAcked(timeoutMs: number, stallMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    let unseenBefore = Number.POSITIVE_INFINITY;
    let progressAt = performance.now();
    for (;;) {
      if (this.#pollFailure) throw this.#pollFailure;
      const unseen = [...this.#watched.values()].filter((w) => w.seq !== null).length;
      const now = performance.now();
      if (unseen < unseenBefore) progressAt = now;
      unseenBefore = unseen;
      if (unseen === 0 || now > deadline || now - progressAt > stallMs) return unseen;
      await delay(this.#pollMs);
    }
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      try {
        await this.#poll();
      } catch (error) {
        this.#pollFailure = error;
        return;
      }
      await delay(this.#pollMs);
    }
  }

  async #poll(): Promise<void> {
    const floors = new Map(this.#highestSeen);
    for (const watched of this.#watched.values()) {
      if (watched.conversationId === null || watched.seq === null) continue;
      const floor = watched.seq - 1;
      if (floor < (floors.get(watched.conversationId) ?? 0)) {
        floors.set(watched.conversationId, floor);
      }
    }
    if (floors.size === 0) return;
    const found = await this.#store.newer(floors);
    const seenAt = performance.now();
    for (const message of found) {
      const highest = this.#highestSeen.get(message.conversationId) ?? 0;
      if (message.seq > highest) this.#highestSeen.set(message.conversationId, message.seq);
      if (!message.clientId) continue;
      const watched = this.#watched.get(message.clientId);
      if (!watched) continue;
      this.#watched.delete(message.clientId);
      watched.onSeen(seenAt);
    }
  }
}
