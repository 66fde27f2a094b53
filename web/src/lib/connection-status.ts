/**
 * The live connection's state, for the "connection lost" banner:
 * `connecting` before the first connect, `connected`, `reconnecting` after a drop, and
 * `offline` while the browser reports no network.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** A tiny observable value for `useSyncExternalStore`. */
export interface ConnectionStatus {
  get(): ConnectionState;
  set(state: ConnectionState): void;
  subscribe(listener: () => void): () => void;
  /** How many times the socket has (re)connected: views refetch when it changes. */
  generation(): number;
}

export function createConnectionStatus(): ConnectionStatus {
  let state: ConnectionState = 'connecting';
  let connections = 0;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    generation: () => connections,
    set(next) {
      if (next === state) return;
      state = next;
      if (next === 'connected') connections += 1;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
