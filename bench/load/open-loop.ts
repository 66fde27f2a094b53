import { setTimeout as delay } from 'node:timers/promises';

/** How an open-loop run went. */
export interface OpenLoopRun {
  /** Operations started. */
  readonly started: number;
  /** Seconds from the first to the last start. */
  readonly seconds: number;
  /** Starts skipped because `maxInFlight` operations were still running. */
  readonly skipped: number;
}

/**
 * Starts `operation(i)` at `rate` per second for `seconds`, on schedule whether or not
 * earlier ones finished (an open loop, so a slow server cannot slow the offered load down
 * and hide its own latency). When `maxInFlight` are still running, due starts are skipped
 * and counted: the achieved rate then falls below the offered one, visibly.
 * Resolves after the last start; the caller waits for the operations it tracks.
 * Operations count their own failures: a rejection is a harness bug and aborts the run.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  maxInFlight: number,
  operation: (index: number) => Promise<void>,
): Promise<OpenLoopRun> {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  let next = 0;
  let inFlight = 0;
  let skipped = 0;
  // Operations count their own expected failures; a rejection is a harness bug and aborts.
  let failure: unknown;
  while (next + skipped < total) {
    const elapsed = (performance.now() - started) / 1000;
    const due = Math.min(total, Math.floor(elapsed * rate) + 1);
    while (next + skipped < due) {
      if (inFlight >= maxInFlight) {
        skipped += 1;
        continue;
      }
      const index = next;
      next += 1;
      inFlight += 1;
      operation(index).then(
        () => {
          inFlight -= 1;
        },
        (error: unknown) => {
          inFlight -= 1;
          failure ??= error;
        },
      );
    }
    if (failure !== undefined) throw failure;
    // Timers fire at about 1 ms granularity: starts due meanwhile go out together.
    if (next + skipped < total) await delay(1);
  }
  return { started: next, seconds: (performance.now() - started) / 1000, skipped };
}
