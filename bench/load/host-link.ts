import { type MessagePort, parentPort } from 'node:worker_threads';
import type { HostAnswers, HostMessage, HostRequest, WorkerMessage } from '../protocol.ts';

/** The worker's line to the orchestrator: progress lines and questions about the API. */
export interface HostLink {
  progress(line: string): void;
  ask<K extends HostRequest['kind']>(
    request: Extract<HostRequest, { kind: K }>,
  ): Promise<HostAnswers[K]>;
}

/** The link over this worker thread's parent port. */
export function connectHost(port: MessagePort | null = parentPort): HostLink {
  if (!port) throw new Error('the load generator must run in a worker thread');
  let nextId = 1;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  port.on('message', (message: HostMessage) => {
    const waiter = waiting.get(message.id);
    waiting.delete(message.id);
    if (!waiter) return;
    if (message.type === 'answer') waiter.resolve(message.value);
    else waiter.reject(new Error(message.message));
  });
  const post = (message: WorkerMessage) => port.postMessage(message);
  return {
    progress: (line) => post({ type: 'progress', line }),
    ask<K extends HostRequest['kind']>(request: Extract<HostRequest, { kind: K }>) {
      const id = nextId++;
      return new Promise<HostAnswers[K]>((resolve, reject) => {
        // The orchestrator answers each kind with its HostAnswers type.
        waiting.set(id, { resolve: (value) => resolve(value as HostAnswers[K]), reject });
        post({ type: 'ask', id, request });
      });
    },
  };
}
