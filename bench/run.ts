/**
 * `npm run bench [-- --quick] [--mode …] [--scenario …]`: runs the benchmark (see
 * docs/PERFORMANCE.md) and writes the JSON, Markdown summary and SVG chart of the run under
 * bench/results/. Exits non-zero when the harness failed, never because figures are slow.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { type BenchOptions, parseOptions, USAGE } from './cli.ts';
import { repoRoot } from './host/child.ts';
import { measure } from './orchestrate.ts';
import { planFor } from './plan.ts';
import { createProgress } from './progress.ts';
import { renderLatencyChart } from './report/chart.ts';
import { renderMarkdown } from './report/markdown.ts';
import type { Machine, RunResult } from './report/result.ts';

/** Sockets the load generator and the API each hold at most, plus slack for everything else. */
const FILE_DESCRIPTORS_NEEDED = 12_000;

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(argv, repoRoot);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const plan = planFor(options.quick, options);
  const needed = options.quick ? 4_000 : FILE_DESCRIPTORS_NEEDED;
  const limit = await openFileLimit();
  if (limit !== null && limit < needed && options.scenarios.includes('connections')) {
    console.error(
      `open-file limit ${limit} is below the ${needed} the connection scenario needs: ` +
        `run \`ulimit -n ${needed}\` (or higher) first`,
    );
    return 2;
  }

  const progress = createProgress();
  const startedAt = new Date();
  const id = startedAt.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const loadAverageStart = loadavg()[0] ?? 0;
  progress(
    `run ${id}${options.quick ? ' (quick)' : ''}: scenarios ${options.scenarios.join(', ')}`,
  );
  const measured = await measure(options, plan, id, progress);
  const run: RunResult = {
    id,
    quick: options.quick,
    startedAt: startedAt.toISOString(),
    seconds: Math.round(progress.elapsed()),
    machine: machine(loadAverageStart),
    git: gitState(options.apiRoot),
    apiRoot: options.apiRoot,
    plan,
    ...measured,
  };

  await mkdir(options.outDir, { recursive: true });
  const base = join(options.outDir, `${id}${options.quick ? '-quick' : ''}`);
  let chartName: string | null = null;
  const errors = [...run.errors];
  try {
    const svg = await renderLatencyChart(
      run.modes,
      `Parley delivery latency (${run.modes.map((mode) => mode.mode).join(', ')})`,
    );
    await writeFile(`${base}.svg`, svg);
    chartName = `${id}${options.quick ? '-quick' : ''}.svg`;
  } catch (error) {
    errors.push({
      scope: 'chart',
      message: error instanceof Error ? error.message : String(error),
    });
  }
  const final: RunResult = { ...run, errors };
  const markdown = renderMarkdown(final, chartName);
  await writeFile(`${base}.json`, `${JSON.stringify(final, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown);
  // A full run becomes "latest" (committed); quick runs stay beside it, ignored by git.
  if (!options.quick) {
    await writeFile(
      join(options.outDir, 'latest.md'),
      chartName ? markdown.replace(`](${chartName})`, '](latest.svg)') : markdown,
    );
    if (chartName) await copyFile(`${base}.svg`, join(options.outDir, 'latest.svg'));
  }
  console.log(`\n${markdown}`);
  progress(`wrote ${base}.{json,md${chartName ? ',svg' : ''}}`);
  if (errors.length > 0) {
    progress(`${errors.length} part(s) of the run failed:`);
    for (const error of errors) console.error(`  ${error.scope}: ${error.message}`);
    return 1;
  }
  return 0;
}

function machine(loadAverageStart: number): Machine {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${type()} ${release()}`,
    loadAverageStart: Math.round(loadAverageStart * 100) / 100,
    loadAverageEnd: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

function gitState(cwd: string): RunResult['git'] {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      dirty: git('status', '--porcelain', 'api').length > 0,
    };
  } catch {
    // Not a git checkout: an exported tree (`--api-root`) may name its commit in .git-commit.
    try {
      return { commit: readFileSync(join(cwd, '.git-commit'), 'utf8').trim(), dirty: false };
    } catch {
      return { commit: 'unknown', dirty: false };
    }
  }
}

/** The soft limit on open files (Linux), or null when it cannot be read. */
async function openFileLimit(): Promise<number | null> {
  try {
    const limits = await readFile('/proc/self/limits', 'utf8');
    const match = /Max open files\s+(\d+|unlimited)/.exec(limits);
    if (!match?.[1]) return null;
    return match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
  } catch {
    return null;
  }
}

// Exit (which kills the API and echo processes) rather than die with them left running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping; scratch data of a distributed mode may stay behind`);
    process.exit(130);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
