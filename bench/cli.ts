import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const MODES = ['embedded', 'distributed', 'distributed-2'] as const;
export type Mode = (typeof MODES)[number];

export const SCENARIOS = [
  'baselines',
  'delivery',
  'persistence',
  'connections',
  'history',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** What `npm run bench -- …` asked for. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Null: embedded, plus the distributed modes when the services answer. */
  readonly modes: readonly Mode[] | null;
  readonly scenarios: readonly Scenario[];
  /** The checkout whose API runs (default: this repository). */
  readonly apiRoot: string;
  readonly outDir: string;
  /** `--rates`: the delivery latency rates instead of the plan's (and no throughput search). */
  readonly rates: readonly number[] | null;
  /** `--step-seconds`: how long each delivery rate step runs. */
  readonly stepSeconds: number | null;
  /** Directory for V8 CPU profiles of the API processes (`--profile`), or null. */
  readonly profileDir: string | null;
  readonly help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]
  --quick                 smoke run (< 2 minutes; numbers not meaningful)
  --mode <m>[,<m>…]       ${MODES.join(' | ')} (default: embedded, plus the
                          distributed modes when the services are up; --quick: not distributed-2)
  --scenario <s>[,<s>…]   ${SCENARIOS.join(' | ')} (default: all;
                          delivery covers scenarios 1 and 2)
  --api-root <dir>        run the API of another checkout (default: this repository)
  --out <dir>             where results go (default: bench/results)
  --rates <r>[,<r>…]      delivery latency rates (msg/s) instead of the plan's, without the
                          throughput search (for before/after comparisons)
  --step-seconds <s>      length of each delivery rate step
  --profile               write V8 CPU profiles of the API processes to <out>/profiles`;

/** Parses the command line; throws a readable error on a bad flag or value. */
export function parseOptions(argv: readonly string[], repoRoot: string): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      mode: { type: 'string', multiple: true },
      scenario: { type: 'string', multiple: true },
      'api-root': { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'boolean', default: false },
      rates: { type: 'string' },
      'step-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const list = <T extends string>(
    given: string[] | undefined,
    allowed: readonly T[],
    what: string,
  ) => {
    if (!given) return null;
    const items = given.flatMap((value) => value.split(',')).map((value) => value.trim());
    for (const item of items) {
      if (!(allowed as readonly string[]).includes(item)) {
        throw new Error(`unknown ${what} "${item}" (expected ${allowed.join(', ')})`);
      }
    }
    return [...new Set(items)] as T[];
  };
  const positive = (value: string, what: string) => {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0)
      throw new Error(`${what} must be a positive number: "${value}"`);
    return number;
  };
  const rates = values.rates?.split(',').map((rate) => positive(rate.trim(), '--rates')) ?? null;
  const stepSeconds = values['step-seconds']
    ? positive(values['step-seconds'], '--step-seconds')
    : null;
  const outDir = resolve(values.out ?? resolve(repoRoot, 'bench', 'results'));
  return {
    quick: values.quick,
    modes: list(values.mode, MODES, 'mode'),
    scenarios: list(values.scenario, SCENARIOS, 'scenario') ?? [...SCENARIOS],
    apiRoot: resolve(values['api-root'] ?? repoRoot),
    outDir,
    rates,
    stepSeconds,
    profileDir: values.profile ? resolve(outDir, 'profiles') : null,
    help: values.help,
  };
}
