import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord, MessageLog, MessageLogConsumer } from '../../src/ports/message-log.ts';
import { aMessage, Condition, createDeferred, track, uniqueId } from './fixtures.ts';

/** One log and the consumer reading it, built fresh per test. */
export interface MessageLogHarness {
  readonly log: MessageLog;
  readonly consumer: MessageLogConsumer;
  /** Stops and releases everything the harness built (consumer, producer, topics). */
  dispose(): Promise<void>;
}

export interface MessageLogCapabilities {
  /**
   * True when `append` resolves only after the consumer's handler wrote the record (the
   * embedded group-commit queue); false when it resolves on the log's own durability (Kafka).
   */
  readonly appendAwaitsHandler: boolean;
}

/**
 * The MessageLog + MessageLogConsumer semantics, for every adapter (embedded queue, Kafka):
 * every record reaches the handler, in order per conversation; a failing handler gets the
 * records again and nothing is lost; a stopped consumer resumes where it committed.
 */
export function describeMessageLogContract(
  name: string,
  makeHarness: () => Promise<MessageLogHarness>,
  capabilities: MessageLogCapabilities,
): void {
  describe(`MessageLog contract: ${name}`, () => {
    const harnesses: MessageLogHarness[] = [];

    async function open(): Promise<MessageLogHarness> {
      const harness = await makeHarness();
      harnesses.push(harness);
      return harness;
    }

    afterEach(async () => {
      await Promise.all(harnesses.splice(0).map((harness) => harness.dispose()));
    });

    function created(conversationId: string, seq: number): LogRecord {
      return { type: 'message.created', message: aMessage(conversationId, seq) };
    }

    /** A handler that records what it was given and succeeds, unless `fail` says otherwise. */
    function recorder(fail: (call: number) => boolean = () => false) {
      const calls: { records: readonly LogRecord[]; failed: boolean }[] = [];
      const changed = new Condition();
      const written = () => calls.filter((call) => !call.failed).flatMap((call) => call.records);
      return {
        calls,
        written,
        ids: () => new Set(written().map((record) => record.message.id)),
        until: (check: () => boolean) => changed.until(check),
        handler: async (records: readonly LogRecord[]) => {
          const failed = fail(calls.length + 1);
          calls.push({ records: [...records], failed });
          changed.notify();
          if (failed) throw new Error('store unavailable');
        },
      };
    }

    it('delivers every record, in append order within each conversation, Dates intact', async () => {
      const { log, consumer } = await open();
      const seen = recorder();
      await consumer.start(seen.handler);
      const conversations = [uniqueId('conv'), uniqueId('conv'), uniqueId('conv')];
      const records = Array.from({ length: 60 }, (_, index) =>
        created(conversations[index % 3] ?? '', index + 1),
      );
      await Promise.all(records.map((record) => log.append(record)));
      await seen.until(() => seen.ids().size === records.length);

      for (const conversationId of conversations) {
        const firstSeen = [
          ...new Map(
            seen
              .written()
              .filter((record) => record.message.conversationId === conversationId)
              .map((record) => [record.message.id, record.message.seq]),
          ).values(),
        ];
        const appended = records
          .filter((record) => record.message.conversationId === conversationId)
          .map((record) => record.message.seq);
        expect(firstSeen).toEqual(appended);
      }
      const first = records[0];
      expect(seen.written().find((record) => record.message.id === first?.message.id)).toEqual(
        first,
      );
    });

    it('redelivers the records of a failed batch, losing nothing', async () => {
      const { log, consumer } = await open();
      const seen = recorder((call) => call <= 2);
      const acknowledged: string[] = [];
      await consumer.start(seen.handler);
      const conversationId = uniqueId('conv');
      const records = Array.from({ length: 10 }, (_, index) => created(conversationId, index + 1));
      const appends = records.map((record) =>
        log.append(record).then(() => {
          acknowledged.push(record.message.id);
          if (capabilities.appendAwaitsHandler) {
            // Acknowledged only once a successful write holds the record.
            expect(seen.ids().has(record.message.id)).toBe(true);
          }
        }),
      );
      await Promise.all(appends);
      await seen.until(() => seen.ids().size === records.length);

      const failedIds = seen.calls
        .filter((call) => call.failed)
        .flatMap((call) => call.records.map((record) => record.message.id));
      expect(failedIds.length).toBeGreaterThan(0);
      for (const id of failedIds) expect(seen.ids().has(id)).toBe(true);
      expect(acknowledged.sort()).toEqual(records.map((record) => record.message.id).sort());
    });

    it.runIf(capabilities.appendAwaitsHandler)(
      'resolves append only after the handler has written the batch holding the record',
      async () => {
        const { log, consumer } = await open();
        const entered = createDeferred();
        const release = createDeferred();
        let written = false;
        await consumer.start(async () => {
          entered.resolve();
          await release.promise;
          written = true;
        });
        const append = track(log.append(created(uniqueId('conv'), 1)));
        await entered.promise;
        expect(append.settled).toBe(false);
        release.resolve();
        await append.promise;
        expect(written).toBe(true);
      },
    );

    it('delivers what was appended while the consumer was stopped once it starts again', async () => {
      const { log, consumer } = await open();
      const conversationId = uniqueId('conv');
      const before = recorder();
      await consumer.start(before.handler);
      const early = created(conversationId, 1);
      await log.append(early);
      await before.until(() => before.ids().has(early.message.id));
      await consumer.stop();

      const late = [created(conversationId, 2), created(conversationId, 3)];
      // With the embedded queue these appends stay pending until a consumer writes them.
      const appends = late.map((record) => log.append(record));
      const after = recorder();
      await consumer.start(after.handler);
      await Promise.all(appends);
      await after.until(() => late.every((record) => after.ids().has(record.message.id)));
      expect(after.ids().has(early.message.id)).toBe(false);
      expect(before.calls.every((call) => !call.failed)).toBe(true);
    });

    it('close() flushes: records appended before it reach the handler', async () => {
      const { log, consumer } = await open();
      const seen = recorder();
      await consumer.start(seen.handler);
      const conversationId = uniqueId('conv');
      const records = Array.from({ length: 5 }, (_, index) => created(conversationId, index + 1));
      const appends = Promise.all(records.map((record) => log.append(record)));
      await log.close();
      await appends;
      await seen.until(() => seen.ids().size === records.length);
      await expect(log.append(created(conversationId, 6))).rejects.toThrow();
    });
  });
}
