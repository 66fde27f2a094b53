import { Kafka, type LogEntry, logLevel } from 'kafkajs';

/** Where kafkajs log lines go: the composition root passes its structured logger. */
export type KafkaLogSink = (
  level: 'error' | 'warn' | 'info' | 'debug',
  message: string,
  extra: object,
) => void;

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly log?: KafkaLogSink;
}

/** A kafkajs client with short connection timeouts, so an outage is noticed quickly. */
export function createKafka(options: KafkaClientOptions): Kafka {
  const sink = options.log;
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (!sink) return;
      const { message, ...extra } = entry.log;
      sink(levelName(entry.level), `kafkajs ${entry.namespace}: ${message}`, extra);
    },
  });
}

function levelName(level: logLevel): 'error' | 'warn' | 'info' | 'debug' {
  if (level === logLevel.ERROR || level === logLevel.NOTHING) return 'error';
  if (level === logLevel.WARN) return 'warn';
  if (level === logLevel.INFO) return 'info';
  return 'debug';
}
