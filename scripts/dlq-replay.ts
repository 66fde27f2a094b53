/**
 * `npm run dlq:replay`: puts every dead-lettered record not yet replayed back on the message
 * topic, for the persistence worker to try again (after the cause was fixed). Reads the same
 * settings as the API (KAFKA_BROKERS, KAFKA_TOPIC, KAFKA_DLQ_TOPIC, KAFKA_CONSUMER_GROUP).
 */
import { createKafka } from '../api/src/adapters/kafka/client.ts';
import { replayDeadLetters } from '../api/src/adapters/kafka/dead-letters.ts';
import { ConfigError, loadConfig } from '../api/src/app/config.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  const brokers = config.distributed.kafkaBrokers;
  if (!brokers) throw new ConfigError(['KAFKA_BROKERS: required to replay the dead-letter topic']);
  const { topic, deadLetterTopic, consumerGroup, clientId } = config.distributed.kafka;
  const groupId = `${consumerGroup}-dlq-replay`;
  console.log(`replaying ${deadLetterTopic} -> ${topic} (progress kept by group ${groupId})`);
  const replayed = await replayDeadLetters({
    kafka: createKafka({ brokers, clientId: `${clientId}-dlq-replay` }),
    deadLetterTopic,
    targetTopic: topic,
    groupId,
    onRecord: (reason, offset) => console.log(`  offset ${offset}: ${reason || '(no reason)'}`),
  });
  console.log(`replayed ${replayed} record(s)`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
