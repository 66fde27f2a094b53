import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { ServerStats } from '../protocol.ts';
import { round } from '../stats.ts';
import type { HostLink } from './host-link.ts';

/** What the API instances did during a measured window. */
export interface ServerUsage {
  /** CPU of each instance as a share of one core (100 = one core busy). */
  readonly cpuPercent: readonly number[];
  /** CPU time all instances used together, ms: divided by the work done, a cost that other load on the box skews far less than latency. */
  readonly cpuMs: number;
  /** Event-loop delay p99 and max per instance, ms. */
  readonly eventLoopDelayP99: readonly number[];
  readonly eventLoopDelayMax: readonly number[];
  /** Heap in use per instance at the end, MB (no GC forced). */
  readonly heapUsedMb: readonly number[];
  /**
   * The whole machine's busy CPU, as a share of one core (200 = both of two cores): the
   * API, the load generator, the services, and anything else running on the box.
   */
  readonly machineCpuPercent: number | null;
}

/** Starts a window now (resetting the event-loop histograms); `end()` reads the usage since. */
export async function openServerWindow(host: HostLink, instances: number) {
  const read = () =>
    Promise.all(
      Array.from({ length: instances }, (_, instance) =>
        host.ask({ kind: 'serverStats', instance, gc: false }),
      ),
    );
  const before: ServerStats[] = await read();
  const machineBefore = machineTicks();
  const startedAt = performance.now();
  return {
    async end(): Promise<ServerUsage> {
      const after = await read();
      const machineAfter = machineTicks();
      const wallMicros = (performance.now() - startedAt) * 1000;
      return {
        cpuMs: round(
          after.reduce(
            (sum, stats, index) => sum + stats.cpuMicros - (before[index]?.cpuMicros ?? 0),
            0,
          ) / 1000,
          1,
        ),
        cpuPercent: after.map((stats, index) =>
          round((100 * (stats.cpuMicros - (before[index]?.cpuMicros ?? 0))) / wallMicros, 1),
        ),
        eventLoopDelayP99: after.map((stats) => round(stats.eventLoopDelay.p99, 1)),
        eventLoopDelayMax: after.map((stats) => round(stats.eventLoopDelay.max, 1)),
        heapUsedMb: after.map((stats) => round(stats.heapUsed / 2 ** 20, 1)),
        machineCpuPercent:
          machineBefore && machineAfter
            ? round(
                (100 * (machineAfter.busy - machineBefore.busy) * cpus().length) /
                  Math.max(1, machineAfter.total - machineBefore.total),
                1,
              )
            : null,
      };
    },
  };
}

/** CPU of this (load-generator) process as a share of one core, since `startedAt`. */
export function loadCpuMeter() {
  const cpu = process.cpuUsage();
  const startedAt = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    return round((100 * (used.user + used.system)) / ((performance.now() - startedAt) * 1000), 1);
  };
}

/** Busy and total CPU ticks of the whole machine (Linux /proc/stat), or null elsewhere. */
function machineTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((sum, value) => sum + value, 0);
    // idle and iowait are the two idle columns.
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}
