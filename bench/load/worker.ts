/**
 * The load-generator worker thread: runs one task (a scenario or the baselines) from
 * `workerData`, reporting progress and asking the orchestrator about the API on the way.
 * Senders and receivers of a measurement live here together, so their timestamps come
 * from one clock. The orchestrator terminates the thread once it has the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBaselines } from '../baselines/index.ts';
import type { WorkerMessage } from '../protocol.ts';
import { runConnections } from '../scenarios/connections.ts';
import { runDelivery } from '../scenarios/delivery.ts';
import { runHistory } from '../scenarios/history.ts';
import { runPersistence } from '../scenarios/persistence.ts';
import type { TaskSpec } from '../tasks.ts';
import { connectHost } from './host-link.ts';

async function run(spec: TaskSpec): Promise<unknown> {
  const host = connectHost();
  switch (spec.kind) {
    case 'delivery':
      return runDelivery((spec as TaskSpec<'delivery'>).params, spec.api, host);
    case 'connections':
      return runConnections((spec as TaskSpec<'connections'>).params, spec.api, host);
    case 'history':
      return runHistory((spec as TaskSpec<'history'>).params, spec.api, host);
    case 'persistence':
      return runPersistence((spec as TaskSpec<'persistence'>).params, spec.api, host);
    case 'baselines':
      return runBaselines((spec as TaskSpec<'baselines'>).params, host);
  }
}

const post = (message: WorkerMessage) => parentPort?.postMessage(message);
run(workerData as TaskSpec).then(
  (result) => post({ type: 'done', result }),
  (error: unknown) =>
    post({
      type: 'failed',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
);
