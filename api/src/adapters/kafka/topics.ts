import { setTimeout as delay } from 'node:timers/promises';
import type { Admin } from 'kafkajs';

export interface TopicSettings {
  /** The message log (default `parley.messages`). */
  readonly topic: string;
  /** The dead-letter topic (default `parley.messages.dlq`). */
  readonly deadLetterTopic: string;
  readonly partitions: number;
}

/**
 * Creates the message and dead-letter topics when missing: replication factor
 * min(3, brokers) and min.insync.replicas 2 (1 on a single broker), so an `acks=all`
 * write survives the loss of one broker. Existing topics are left as they are.
 */
export async function ensureTopics(admin: Admin, settings: TopicSettings): Promise<void> {
  const { brokers } = await admin.describeCluster();
  const replicationFactor = Math.min(3, brokers.length);
  const minInsync = Math.min(2, replicationFactor);
  const existing = new Set(await admin.listTopics());
  const missing = [settings.topic, settings.deadLetterTopic].filter((name) => !existing.has(name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: topic === settings.topic ? settings.partitions : 1,
        replicationFactor,
        configEntries: [{ name: 'min.insync.replicas', value: String(minInsync) }],
      })),
    });
  }
  await waitForLeaders(admin, [settings.topic, settings.deadLetterTopic]);
}

/**
 * Waits until the cluster reports a leader for every partition. KRaft spreads new topic
 * metadata to the brokers asynchronously, and until then they answer UNKNOWN_TOPIC_OR_PARTITION.
 */
async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metadata = await whileTopicPropagates(
      () => admin.fetchTopicMetadata({ topics: [...topics] }),
      Math.max(0, deadline - Date.now()),
    );
    const ready = metadata.topics.every(
      (topic) =>
        topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0),
    );
    if (ready && metadata.topics.length === topics.length) return;
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leaders yet`);
    await delay(100);
  }
}

/**
 * Runs `step`, retrying while the broker it asked does not know the topic yet. One broker
 * knowing a new topic says nothing of the others, and a client may ask any of them (a
 * consumer's subscribe does not retry this by itself).
 */
export async function whileTopicPropagates<T>(
  step: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await step();
    } catch (error) {
      if (!isUnknownTopic(error) || Date.now() > deadline) throw error;
    }
    await delay(100);
  }
}

/** Matched by type: kafkajs's error classes are not ESM named exports. */
function isUnknownTopic(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'type' in error &&
    error.type === 'UNKNOWN_TOPIC_OR_PARTITION'
  );
}
