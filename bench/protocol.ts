/**
 * Messages between the bench orchestrator (main thread) and a load-generator worker thread.
 * The worker runs one scenario; when it needs the API process (its memory, a restart) it
 * asks the orchestrator, which owns the child processes.
 */

/** What a worker may ask the orchestrator for, and the answer to each. */
export interface HostAnswers {
  /** Memory, CPU time and event-loop delay of one API instance (GC first when `gc`). */
  readonly serverStats: ServerStats;
  /** Restarts every API instance on the same data; answers with their new endpoints. */
  readonly restartApi: ApiEndpoints;
}

export type HostRequest =
  | { readonly kind: 'serverStats'; readonly instance: number; readonly gc: boolean }
  | { readonly kind: 'restartApi' };

/** Where the API instances under test listen (base URLs, e.g. `http://127.0.0.1:4101`). */
export interface ApiEndpoints {
  readonly urls: readonly string[];
}

/** One probe reading of a server process (bytes, microseconds, milliseconds). */
export interface ServerStats {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** Process CPU time so far (user + system), in microseconds. */
  readonly cpuMicros: number;
  /** Event-loop delay since the previous reading. */
  readonly eventLoopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
}

/** Worker → orchestrator. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly line: string }
  | { readonly type: 'ask'; readonly id: number; readonly request: HostRequest }
  | { readonly type: 'done'; readonly result: unknown }
  | { readonly type: 'failed'; readonly message: string };

/** Orchestrator → worker. */
export type HostMessage =
  | { readonly type: 'answer'; readonly id: number; readonly value: unknown }
  | { readonly type: 'refused'; readonly id: number; readonly message: string };

/** Probe request and reply over the API child's IPC channel (see `host/probe.ts`). */
export interface ProbeRequest {
  readonly type: 'parley-bench-probe';
  readonly id: number;
  readonly gc: boolean;
}

export interface ProbeReply {
  readonly type: 'parley-bench-probe';
  readonly id: number;
  readonly stats: ServerStats;
}
