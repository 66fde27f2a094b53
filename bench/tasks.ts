import type { BaselineParams, BaselineResult } from './baselines/index.ts';
import type { ApiEndpoints } from './protocol.ts';
import type { ConnectionParams, ConnectionResult } from './scenarios/connections.ts';
import type { DeliveryParams, DeliveryResult } from './scenarios/delivery.ts';
import type { HistoryParams, HistoryResult } from './scenarios/history.ts';
import type { PersistenceParams, PersistenceResult } from './scenarios/persistence.ts';

/** Every task a load-generator worker can run, with its parameters and result. */
export interface TaskTypes {
  readonly delivery: { readonly params: DeliveryParams; readonly result: DeliveryResult };
  readonly connections: { readonly params: ConnectionParams; readonly result: ConnectionResult };
  readonly history: { readonly params: HistoryParams; readonly result: HistoryResult };
  readonly persistence: { readonly params: PersistenceParams; readonly result: PersistenceResult };
  readonly baselines: { readonly params: BaselineParams; readonly result: BaselineResult };
}

export type TaskKind = keyof TaskTypes;

/** What the orchestrator hands a worker (as `workerData`). */
export interface TaskSpec<K extends TaskKind = TaskKind> {
  readonly kind: K;
  /** The servers under test: the API instances, or the echo server for the baselines. */
  readonly api: ApiEndpoints;
  readonly params: TaskTypes[K]['params'];
}
