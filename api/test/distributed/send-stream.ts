import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import { Condition } from '../contracts/fixtures.ts';
import { type ClusterUser, type Sent, type ServiceProcess, trySend } from './cluster.ts';
import { type StoredMessage, storedMessages } from './feeds.ts';

/** An acknowledged send: `sendMessage` returned it. */
export interface Acked extends Sent {
  readonly lane: number;
  /** Acknowledged only when retried (same clientId) after a failed first attempt. */
  readonly retried: boolean;
}

interface Failed {
  readonly lane: number;
  readonly body: string;
  readonly clientId: string;
  readonly error: string;
}

/**
 * A stream of sends on `lanes` concurrent lanes, each sending one message after another
 * (so within a lane, acknowledged seqs must increase). Failed sends are remembered and can
 * be retried with their clientId once the fault is over.
 */
export class SendStream {
  readonly acked: Acked[] = [];
  readonly failed: Failed[] = [];
  readonly #changed = new Condition();
  readonly #api: ServiceProcess;
  readonly #user: ClusterUser;
  readonly #conversationId: string;
  readonly #label: string;
  #running: Promise<void>[] = [];
  #stopped = false;

  constructor(
    api: ServiceProcess,
    user: ClusterUser,
    conversationId: string,
    label: string,
    lanes = 4,
  ) {
    this.#api = api;
    this.#user = user;
    this.#conversationId = conversationId;
    this.#label = label;
    this.#running = Array.from({ length: lanes }, (_, lane) => this.#lane(lane));
  }

  /** Resolves once `count` more sends than now were acknowledged. */
  async ackedMore(count: number): Promise<void> {
    const target = this.acked.length + count;
    await this.#changed.until(() => this.acked.length >= target);
  }

  /** Resolves once `count` more sends than now failed. */
  async failedMore(count: number): Promise<void> {
    const target = this.failed.length + count;
    await this.#changed.until(() => this.failed.length >= target);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#running);
  }

  /** Retries every failed send once, with its original clientId; returns how many succeeded. */
  async retryFailed(): Promise<number> {
    let succeeded = 0;
    for (const failure of this.failed.splice(0)) {
      const result = await trySend(
        this.#api,
        this.#user,
        this.#conversationId,
        failure.body,
        failure.clientId,
      );
      if ('error' in result) this.failed.push(failure);
      else {
        this.acked.push({ ...result, lane: failure.lane, retried: true });
        succeeded += 1;
      }
    }
    return succeeded;
  }

  async #lane(lane: number): Promise<void> {
    for (let index = 0; !this.#stopped; index += 1) {
      const body = `${this.#label} lane ${lane} #${index}`;
      const clientId = randomUUID();
      const result = await trySend(this.#api, this.#user, this.#conversationId, body, clientId);
      if ('error' in result) {
        this.failed.push({ lane, body, clientId, error: result.error });
        // A client backs off after a failure instead of hammering a degraded server.
        await delay(100);
      } else {
        this.acked.push({ ...result, lane, retried: false });
      }
      this.#changed.notify();
    }
  }
}

/** What one fault test found in MongoDB. */
export interface Tally {
  readonly acknowledged: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly failedSends: number;
  readonly retriedOk: number;
}

/**
 * Waits until MongoDB holds every acknowledged message, then checks each is stored exactly
 * once with its acknowledged seq, seqs are unique, and each lane's seqs increase in send
 * order. Prints `acknowledged / stored / duplicates`.
 */
export async function verifyStored(
  label: string,
  mongoUrl: string,
  conversationId: string,
  stream: SendStream,
): Promise<Tally> {
  let missing: Acked[] = [];
  const stored: StoredMessage[] = await storedMessages(mongoUrl, conversationId, (messages) => {
    const present = new Set(messages.map((message) => message.id));
    missing = stream.acked.filter((message) => !present.has(message.id));
    return missing.length === 0;
  }).catch((error: unknown) => {
    throw new Error(
      `${String(error)}; acknowledged but not stored: ${JSON.stringify(missing.slice(0, 20))}`,
    );
  });
  const byId = new Map(stored.map((message) => [message.id, message]));
  // Every send has its own body, so copies of one body are duplicates.
  const duplicates = stored.length - new Set(stored.map((message) => message.body)).size;
  const storedAcked = stream.acked.filter((message) => byId.has(message.id)).length;
  const tally: Tally = {
    acknowledged: stream.acked.length,
    stored: storedAcked,
    duplicates,
    failedSends: stream.failed.length + stream.acked.filter((message) => message.retried).length,
    retriedOk: stream.acked.filter((message) => message.retried).length,
  };
  console.log(
    `[fault] ${label}: acknowledged ${tally.acknowledged} / stored ${tally.stored} / duplicates ${tally.duplicates}` +
      ` (failed sends ${tally.failedSends}, of which retried with the same clientId and acknowledged ${tally.retriedOk}; ${stored.length} messages in the conversation)`,
  );

  for (const message of stream.acked) {
    expect(byId.get(message.id), `message ${message.body}`).toMatchObject({
      seq: message.seq,
      body: message.body,
      clientId: message.clientId,
    });
  }
  expect(duplicates).toBe(0);
  expect(new Set(stored.map((message) => message.seq)).size).toBe(stored.length);
  const lanes = new Map<number, number[]>();
  for (const message of stream.acked) {
    if (message.retried) continue;
    lanes.set(message.lane, [...(lanes.get(message.lane) ?? []), message.seq]);
  }
  for (const seqs of lanes.values()) {
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
  }
  expect(tally.stored).toBe(tally.acknowledged);
  return tally;
}
