import { Worker } from 'node:worker_threads';
import type { HostAnswers, HostMessage, HostRequest, WorkerMessage } from '../protocol.ts';
import type { TaskKind, TaskSpec, TaskTypes } from '../tasks.ts';

const WORKER = new URL('../load/worker.ts', import.meta.url);

/** How the orchestrator answers a worker's questions. */
export type HostHandlers = {
  readonly [K in HostRequest['kind']]: (
    request: Extract<HostRequest, { kind: K }>,
  ) => Promise<HostAnswers[K]>;
};

/**
 * Runs one task in a fresh load-generator worker thread; progress lines go to `progress`.
 * Rejects with the worker's error, when `abort` rejects first (an API process died), or
 * after `timeoutMs` (a hung scenario must not hang the run).
 */
export async function runTask<K extends TaskKind>(
  spec: TaskSpec<K>,
  handlers: HostHandlers,
  progress: (line: string) => void,
  abort: Promise<never>,
  timeoutMs: number,
): Promise<TaskTypes[K]['result']> {
  const worker = new Worker(WORKER, { workerData: spec });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${spec.kind} did not finish within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  const answer = async (id: number, request: HostRequest) => {
    let reply: HostMessage;
    try {
      const value = await handle(handlers, request);
      reply = { type: 'answer', id, value };
    } catch (error) {
      reply = {
        type: 'refused',
        id,
        message: error instanceof Error ? error.message : String(error),
      };
    }
    worker.postMessage(reply);
  };
  const finished = new Promise<unknown>((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'progress':
          progress(message.line);
          break;
        case 'ask':
          void answer(message.id, message.request);
          break;
        case 'done':
          resolve(message.result);
          break;
        case 'failed':
          reject(new Error(`${spec.kind} failed in the load generator:\n${message.message}`));
          break;
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`${spec.kind} worker exited (${code}) early`)));
  });
  try {
    // The worker posts exactly the result type of its task kind.
    return (await Promise.race([finished, abort, timedOut])) as TaskTypes[K]['result'];
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

function handle(handlers: HostHandlers, request: HostRequest): Promise<unknown> {
  switch (request.kind) {
    case 'serverStats':
      return handlers.serverStats(request);
    case 'restartApi':
      return handlers.restartApi(request);
  }
}
