import type { BaselineParams } from './baselines/index.ts';
import type { ConnectionParams } from './scenarios/connections.ts';
import type { DeliveryParams } from './scenarios/delivery.ts';
import type { HistoryParams } from './scenarios/history.ts';
import type { PersistenceParams } from './scenarios/persistence.ts';

/** The scenario parameters of a run; `--quick` shrinks every one to a smoke test. */
export interface Plan {
  /** A scenario still running after this long fails (and the run goes on). */
  readonly scenarioTimeoutMs: number;
  readonly delivery: DeliveryParams;
  readonly connections: ConnectionParams;
  readonly history: Omit<HistoryParams, 'mongoUrl'>;
  readonly persistence: Omit<PersistenceParams, 'mongoUrl'>;
  readonly baselines: Omit<BaselineParams, 'transport' | 'apiRoot' | 'services'> & {
    readonly transport: Omit<BaselineParams['transport'], 'url'>;
    readonly services: Omit<NonNullable<BaselineParams['services']>, 'targets'>;
  };
}

const full: Plan = {
  scenarioTimeoutMs: 600_000,
  delivery: {
    conversations: 20,
    subscribers: 10,
    warmup: { rate: 300, seconds: 3 },
    rates: [100, 500, 1000, 2000],
    stepSeconds: 10,
    throughput: {
      rates: [3000, 4000, 6000, 8000],
      stepSeconds: 6,
      p99LimitMs: 100,
      refineSteps: 3,
    },
    drainTimeoutMs: 10_000,
    maxInFlight: 512,
  },
  connections: { levels: [1000, 5000, 10_000], groups: 100, groupSize: 10, idleSeconds: 5 },
  // Small enough for the distributed modes, whose sends on FerretDB run at tens per second.
  history: { conversations: 40, messagesPerConversation: 55, warmRounds: 10, pageSize: 50 },
  persistence: {
    conversations: 20,
    rates: [500, 1000, 2000],
    stepSeconds: 10,
    pollMs: 20,
    stepSettleMs: 20_000,
    settleTimeoutMs: 180_000,
    stallTimeoutMs: 15_000,
    maxInFlight: 512,
  },
  baselines: {
    transport: {
      roundTrips: 2000,
      broadcastSockets: 200,
      broadcastSeconds: 3,
      idleConnections: 10_000,
    },
    executeIterations: 5000,
    services: { samples: 1000, kafkaBatch: 500, mongoBatch: 100, batchSamples: 40 },
  },
};

const quick: Plan = {
  scenarioTimeoutMs: 120_000,
  delivery: {
    conversations: 5,
    subscribers: 5,
    warmup: { rate: 100, seconds: 1 },
    rates: [200],
    stepSeconds: 2,
    throughput: { rates: [400], stepSeconds: 2, p99LimitMs: 100, refineSteps: 1 },
    drainTimeoutMs: 5_000,
    maxInFlight: 256,
  },
  connections: { levels: [100, 300], groups: 10, groupSize: 5, idleSeconds: 0.5 },
  history: { conversations: 8, messagesPerConversation: 51, warmRounds: 2, pageSize: 50 },
  persistence: {
    conversations: 5,
    rates: [200],
    stepSeconds: 3,
    pollMs: 20,
    stepSettleMs: 10_000,
    settleTimeoutMs: 30_000,
    stallTimeoutMs: 10_000,
    maxInFlight: 256,
  },
  baselines: {
    transport: {
      roundTrips: 200,
      broadcastSockets: 25,
      broadcastSeconds: 1,
      idleConnections: 1000,
    },
    executeIterations: 500,
    services: { samples: 100, kafkaBatch: 200, mongoBatch: 100, batchSamples: 5 },
  },
};

/** What the command line may change in a plan. */
export interface PlanOverrides {
  readonly rates: readonly number[] | null;
  readonly stepSeconds: number | null;
}

/** The plan for a quick (smoke) or full run, with the command line's overrides. */
export function planFor(isQuick: boolean, overrides: PlanOverrides): Plan {
  const plan = isQuick ? quick : full;
  const { rates, stepSeconds } = overrides;
  const delivery = {
    ...plan.delivery,
    ...(rates ? { rates, throughput: null } : {}),
    ...(stepSeconds ? { stepSeconds } : {}),
  };
  return { ...plan, delivery };
}
