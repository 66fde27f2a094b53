import type { BaselineResult } from '../baselines/index.ts';
import type { Mode, Scenario } from '../cli.ts';
import type { Plan } from '../plan.ts';
import type { ConnectionResult } from '../scenarios/connections.ts';
import type { DeliveryResult } from '../scenarios/delivery.ts';
import type { HistoryResult } from '../scenarios/history.ts';
import type { PersistenceResult } from '../scenarios/persistence.ts';

/** The machine a run measured (everything runs on it: API, load generator, services). */
export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly os: string;
  /** 1-minute load average at the start and end: other work on the box skews the figures. */
  readonly loadAverageStart: number;
  readonly loadAverageEnd: number;
}

/** A scenario that failed: the run goes on, and exits non-zero at the end. */
export interface RunError {
  readonly scope: string;
  readonly message: string;
}

/** What one mode measured; a scenario that did not run (or failed) is null. */
export interface ModeResult {
  readonly mode: Mode;
  readonly instances: number;
  readonly delivery: DeliveryResult | null;
  readonly persistence: PersistenceResult | null;
  readonly connections: ConnectionResult | null;
  readonly history: HistoryResult | null;
  /** 1-minute load average when each scenario started. */
  readonly loadAverage: Readonly<Partial<Record<Scenario, number>>>;
  readonly seconds: number;
}

/** The JSON file of one run. */
export interface RunResult {
  readonly id: string;
  readonly quick: boolean;
  readonly startedAt: string;
  readonly seconds: number;
  readonly machine: Machine;
  readonly git: { readonly commit: string; readonly dirty: boolean };
  readonly apiRoot: string;
  /** The parameters every scenario ran with. */
  readonly plan: Plan;
  readonly baselines: BaselineResult | null;
  readonly modes: readonly ModeResult[];
  readonly skipped: readonly { readonly mode: Mode; readonly reason: string }[];
  readonly errors: readonly RunError[];
  readonly warnings: readonly string[];
}
