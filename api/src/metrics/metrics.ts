import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What the rest of the API reports. One instance per process, created by the composition
 * root and handed to whoever reports; never a module singleton.
 */
export interface Metrics {
  /** A message reached a subscriber; `sentAt` is its createdAt. */
  observeDelivery(sentAt: Date): void;
  /** A message was written to the store; `sentAt` is its createdAt. */
  observePersisted(sentAt: Date): void;
  /** The persistence worker applied a batch of this many log records. */
  observeBatch(size: number): void;
  /** Records still to be consumed on one partition of the message log. */
  setConsumerLag(partition: number, lag: number): void;
  /** A record went to the outage outbox instead of Kafka. */
  countOutboxAppend(): void;
  /** A poison record went to the dead-letter topic. */
  countDeadLetter(reason: string): void;
  /** Reports the outbox depth at scrape time (set once, by the Kafka adapter). */
  setOutboxDepthSource(read: () => Promise<number>): void;
  socketOpened(): void;
  socketClosed(): void;
  subscriptionStarted(): void;
  subscriptionEnded(): void;
}

/** The Prometheus side: the registry `/metrics` serves. */
export interface MetricsRegistry extends Metrics {
  readonly registry: Registry;
}

export interface MetricsOptions {
  /** Also export Node's process metrics (CPU, memory, event loop lag). Default true. */
  readonly processMetrics?: boolean;
  /** Labels added to every series, e.g. `{ role: 'api' }`. */
  readonly labels?: Record<string, string>;
}

// Latencies span a millisecond fan-out to a multi-second outage drain.
const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** Creates the metrics of one process in their own registry. */
export function createMetrics(options: MetricsOptions = {}): MetricsRegistry {
  const registry = new Registry();
  if (options.labels) registry.setDefaultLabels(options.labels);
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const delivery = new Histogram({
    name: 'parley_delivery_latency_seconds',
    help: 'Time from a message being sent to its delivery to a subscriber.',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const persistence = new Histogram({
    name: 'parley_persistence_lag_seconds',
    help: 'Time from a message being sent to it being written to the store.',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const batches = new Histogram({
    name: 'parley_persistence_batch_size',
    help: 'Log records per batch applied by the persistence worker.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [registry],
  });
  const consumerLag = new Gauge({
    name: 'parley_consumer_lag_records',
    help: 'Records of the message log not yet consumed, per partition.',
    labelNames: ['partition'],
    registers: [registry],
  });
  const outboxAppends = new Counter({
    name: 'parley_outbox_appends_total',
    help: 'Records written to the Kafka outage outbox.',
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'parley_dead_letters_total',
    help: 'Poison records sent to the dead-letter topic.',
    labelNames: ['reason'],
    registers: [registry],
  });
  let readOutboxDepth: (() => Promise<number>) | null = null;
  new Gauge({
    name: 'parley_outbox_depth',
    help: 'Records waiting in the Kafka outage outbox.',
    registers: [registry],
    async collect() {
      if (!readOutboxDepth) return;
      try {
        this.set(await readOutboxDepth());
      } catch {
        // Unknown while Redis is unreachable; NaN says so without failing the whole scrape.
        this.set(Number.NaN);
      }
    },
  });
  const sockets = new Gauge({
    name: 'parley_open_sockets',
    help: 'Open GraphQL WebSocket connections.',
    registers: [registry],
  });
  const subscriptions = new Gauge({
    name: 'parley_active_subscriptions',
    help: 'Active GraphQL subscriptions.',
    registers: [registry],
  });

  const sinceSeconds = (sentAt: Date): number => Math.max(0, Date.now() - sentAt.getTime()) / 1000;
  return {
    registry,
    observeDelivery: (sentAt) => delivery.observe(sinceSeconds(sentAt)),
    observePersisted: (sentAt) => persistence.observe(sinceSeconds(sentAt)),
    observeBatch: (size) => batches.observe(size),
    setConsumerLag: (partition, lag) => consumerLag.set({ partition: String(partition) }, lag),
    countOutboxAppend: () => outboxAppends.inc(),
    countDeadLetter: (reason) => deadLetters.inc({ reason }),
    setOutboxDepthSource: (read) => {
      readOutboxDepth = read;
    },
    socketOpened: () => sockets.inc(),
    socketClosed: () => sockets.dec(),
    subscriptionStarted: () => subscriptions.inc(),
    subscriptionEnded: () => subscriptions.dec(),
  };
}
