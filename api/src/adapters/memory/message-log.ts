import type { LogRecord, MessageLog, MessageLogConsumer } from '../../ports/message-log.ts';

/** Rejects appends once `close()` has begun, and appends still pending when it ends. */
export class MessageLogClosedError extends Error {
  constructor() {
    super('message log is closed; the record was not written');
    this.name = 'MessageLogClosedError';
  }
}

/** Backpressure: the queue already holds `maxPending` unwritten records. */
export class MessageLogFullError extends Error {
  constructor(maxPending: number) {
    super(`message log has ${maxPending} records waiting to be written; try again shortly`);
    this.name = 'MessageLogFullError';
  }
}

export interface GroupCommitLogOptions {
  /** Records per handler call (default 500). */
  readonly maxBatch?: number;
  /** How long an idle queue waits for company before writing (default 2 ms). */
  readonly lingerMs?: number;
  /** Unwritten records allowed before `append` rejects with `MessageLogFullError` (default 10 000). */
  readonly maxPending?: number;
  /** First retry delay after a failed batch, doubled per attempt up to `retryMaxMs`. */
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** Told about every failed batch before it is retried (the log never drops records). */
  readonly onHandlerError: (error: unknown, attempt: number) => void;
}

/** Both ends of the in-process log; `pending` counts records not yet written. */
export interface GroupCommitLog extends MessageLog, MessageLogConsumer {
  readonly pending: number;
}

type Handler = (records: readonly LogRecord[]) => Promise<void>;

interface Entry {
  readonly record: LogRecord;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The embedded MessageLog: an in-process group-commit queue. `append` resolves only after
 * the consumer's handler has written the batch holding the record, so a send acknowledged
 * in embedded mode is already in the store. Appends that arrive while a batch is being
 * written form the next batch. A failed batch stays at the head of the queue and is
 * retried with exponential backoff, its appends still pending.
 *
 * `stop()` lets the batch being written finish and leaves the rest pending; `close()`
 * writes everything pending through a running consumer, then rejects whatever is left
 * (only possible after `stop()`, which is how a caller bounds a shutdown whose store is down).
 */
export function createGroupCommitLog(options: GroupCommitLogOptions): GroupCommitLog {
  const maxBatch = options.maxBatch ?? 500;
  const lingerMs = options.lingerMs ?? 2;
  const maxPending = options.maxPending ?? 10_000;
  const retryInitialMs = options.retryInitialMs ?? 50;
  const retryMaxMs = options.retryMaxMs ?? 5_000;

  const queue: Entry[] = [];
  const sleepers = new Set<() => void>();
  let handler: Handler | null = null;
  let draining: Promise<void> | null = null;
  let closing = false;

  /** A delay that `wakeAll()` cuts short (stop and close must not wait out a backoff). */
  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  function wakeAll(): void {
    for (const wake of [...sleepers]) wake();
  }

  async function drain(): Promise<void> {
    if (lingerMs > 0 && queue.length < maxBatch && !closing) await sleep(lingerMs);
    let attempt = 0;
    while (handler !== null && queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      try {
        await handler(batch.map((entry) => entry.record));
      } catch (error) {
        attempt += 1;
        options.onHandlerError(error, attempt);
        await sleep(Math.min(retryMaxMs, retryInitialMs * 2 ** (attempt - 1)));
        continue;
      }
      attempt = 0;
      // Appends only add at the tail, so the batch is still the head of the queue.
      queue.splice(0, batch.length);
      for (const entry of batch) entry.resolve();
    }
  }

  function kick(): void {
    if (handler === null || draining !== null || queue.length === 0) return;
    draining = drain().finally(() => {
      draining = null;
      kick();
    });
  }

  return {
    get pending() {
      return queue.length;
    },

    append(record) {
      if (closing) return Promise.reject(new MessageLogClosedError());
      if (queue.length >= maxPending) return Promise.reject(new MessageLogFullError(maxPending));
      return new Promise<void>((resolve, reject) => {
        queue.push({ record, resolve, reject });
        kick();
      });
    },

    async start(nextHandler) {
      if (handler !== null) throw new Error('message log consumer is already started');
      handler = nextHandler;
      kick();
    },

    async stop() {
      handler = null;
      wakeAll();
      await draining;
    },

    async close() {
      closing = true;
      wakeAll();
      // Each drain pass ends when the queue is empty or the consumer stopped.
      while (draining !== null) await draining;
      for (const entry of queue.splice(0)) entry.reject(new MessageLogClosedError());
    },
  };
}
