import { type IHeaders, type Kafka, type KafkaMessage, Partitioners, type Producer } from 'kafkajs';

/** Header names on dead-letter records. */
export const DEAD_LETTER_HEADERS = {
  reason: 'parley-dlq-reason',
  topic: 'parley-dlq-source-topic',
  partition: 'parley-dlq-source-partition',
  offset: 'parley-dlq-source-offset',
} as const;

/** Why and where from a record was dead-lettered. */
export interface DeadLetterOrigin {
  readonly reason: string;
  readonly topic: string;
  readonly partition: number;
}

/** Produces a copy of `message` (same key, value and headers) to the dead-letter topic. */
export async function sendToDeadLetters(
  producer: Producer,
  deadLetterTopic: string,
  message: KafkaMessage,
  origin: DeadLetterOrigin,
): Promise<void> {
  await producer.send({
    topic: deadLetterTopic,
    acks: -1,
    messages: [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DEAD_LETTER_HEADERS.reason]: origin.reason,
          [DEAD_LETTER_HEADERS.topic]: origin.topic,
          [DEAD_LETTER_HEADERS.partition]: String(origin.partition),
          [DEAD_LETTER_HEADERS.offset]: message.offset,
        },
      },
    ],
  });
}

export interface ReplayOptions {
  readonly kafka: Kafka;
  readonly deadLetterTopic: string;
  /** Where replayed records go (the message topic). */
  readonly targetTopic: string;
  /** The replayer's consumer group: it remembers what was already replayed. */
  readonly groupId: string;
  /** Told about each replayed record. */
  readonly onRecord?: (reason: string, offset: string) => void;
}

/**
 * Puts every dead-letter record not yet replayed back on the message topic (without the
 * dead-letter headers), then returns how many it replayed. Its consumer group commits after
 * each batch, so running it twice does not replay a record twice.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<number> {
  const { kafka, deadLetterTopic, targetTopic } = options;
  const admin = kafka.admin();
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 500 });
  await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
  try {
    // The end of each partition now: the replay stops there.
    const ends = new Map<number, bigint>();
    for (const { partition, high } of await admin.fetchTopicOffsets(deadLetterTopic)) {
      ends.set(partition, BigInt(high));
    }
    const committed = await admin.fetchOffsets({
      groupId: options.groupId,
      topics: [deadLetterTopic],
    });
    const remaining = new Set<number>();
    for (const { partitions } of committed) {
      for (const { partition, offset } of partitions) {
        const start = offset === '-1' ? 0n : BigInt(offset);
        if (start < (ends.get(partition) ?? 0n)) remaining.add(partition);
      }
    }
    if (remaining.size === 0) return 0;

    let replayed = 0;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    await consumer.subscribe({ topics: [deadLetterTopic], fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: false,
      autoCommitThreshold: 1,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
        const end = ends.get(batch.partition) ?? 0n;
        const due = batch.messages.filter((message) => BigInt(message.offset) < end);
        if (due.length > 0) {
          await producer.send({
            topic: targetTopic,
            acks: -1,
            messages: due.map((message) => ({
              key: message.key,
              value: message.value,
              headers: withoutDeadLetterHeaders(message.headers),
            })),
          });
          for (const message of due) {
            options.onRecord?.(
              headerText(message.headers, DEAD_LETTER_HEADERS.reason),
              message.offset,
            );
            resolveOffset(message.offset);
          }
          await commitOffsetsIfNecessary();
          replayed += due.length;
        }
        const lastDue = due.at(-1);
        if (lastDue === undefined || BigInt(lastDue.offset) + 1n >= end) {
          remaining.delete(batch.partition);
          if (remaining.size === 0) finish();
        }
      },
    });
    await done;
    return replayed;
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  }
}

function withoutDeadLetterHeaders(headers: KafkaMessage['headers']): IHeaders {
  const names = new Set<string>(Object.values(DEAD_LETTER_HEADERS));
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !names.has(name)));
}

/** A header's value as text (empty when absent). */
export function headerText(headers: KafkaMessage['headers'], name: string): string {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? '' : first.toString();
}
