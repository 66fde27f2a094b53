import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createKafkaConsumer } from './adapters/kafka/index.ts';
import { openMongoStore } from './adapters/mongo/store.ts';
import { openSqliteStore } from './adapters/sqlite/store.ts';
import { kafkaLogSink, kafkaSettings } from './app/compose.ts';
import { type Config, ConfigError, loadConfig } from './app/config.ts';
import { createLogger, type Logger } from './app/logger.ts';
import { createMetricsHandler } from './metrics/handler.ts';
import { createMetrics } from './metrics/metrics.ts';
import type { Store } from './ports/store.ts';
import { PersistenceWorker } from './services/persistence-worker.ts';

/** The standalone persistence worker (`npm run worker`): Kafka in, the store out. */
export interface WorkerProcess {
  /** Where /metrics and /healthz are served. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a persistence worker alone, for scale-out: it joins the API's consumer group, so
 * Kafka splits the partitions between it, other workers and APIs that still run one.
 */
export async function startWorker(config: Config, logger: Logger): Promise<WorkerProcess> {
  const kafka = kafkaSettings(config);
  if (!kafka) throw new ConfigError(['KAFKA_BROKERS: required by the standalone worker']);
  const metrics = createMetrics({ labels: { role: 'worker' } });
  const { mongoUrl } = config.distributed;
  const store: Store = mongoUrl
    ? await openMongoStore(mongoUrl)
    : await openSqliteStore(join(config.dataDir, 'parley.db'));
  const worker = new PersistenceWorker(store, logger);
  const consumer = createKafkaConsumer(kafka, {
    metrics,
    onError: (error, context) => logger.warn({ err: error }, context),
    log: kafkaLogSink(logger),
  });
  await consumer.start(async (records) => {
    const applied = await worker.apply(records);
    logger.info({ records: records.length, ...applied }, 'batch persisted');
  });

  const serveMetrics = createMetricsHandler(metrics.registry);
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://worker').pathname;
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    serveMetrics(new Request('http://worker/metrics', { method: request.method ?? 'GET' })).then(
      async (reply) => {
        response.writeHead(reply.status, Object.fromEntries(reply.headers));
        response.end(await reply.text());
      },
      (error: unknown) => {
        logger.error({ err: error }, 'metrics scrape failed');
        response.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(config.distributed.worker.port, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  logger.info({ url, topic: kafka.topic, group: kafka.consumerGroup }, 'worker started');

  let stopping: Promise<void> | null = null;
  return {
    url,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await consumer.stop();
        await store.close();
        logger.info({}, 'worker stopped');
      })();
      return stopping;
    },
  };
}

if (import.meta.main) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const logger = createLogger(config).child({ role: 'worker' });
  let worker: WorkerProcess;
  try {
    worker = await startWorker(config, logger);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      worker.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
