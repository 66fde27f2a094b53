/**
 * The full suite (`npm test`): lint, typecheck, bring the real services up when any is down,
 * then vitest with the services' addresses in TEST_REDIS_URL, TEST_KAFKA_BROKERS and
 * TEST_MONGO_URL. Extra arguments go to vitest: `npm test -- api/test/services`.
 * When all three TEST_* variables are already set (say, for services run with docker compose),
 * those are used and the local services are left alone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, serviceEnv, status, up } from './services/index.ts';

const root = resolve(import.meta.dirname, '..');

interface PhaseResult {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
}

function say(message: string): void {
  console.log(`[test] ${message}`);
}

/** Runs a command with the terminal attached; resolves true when it exits 0. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<boolean>((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => resolvePromise(code === 0));
  });
}

async function phase(name: string, body: () => Promise<boolean>): Promise<PhaseResult> {
  say(`── ${name} ──`);
  const started = performance.now();
  const ok = await body();
  const seconds = (performance.now() - started) / 1000;
  say(`${name}: ${ok ? 'ok' : 'FAILED'} (${seconds.toFixed(1)}s)`);
  return { name, ok, seconds };
}

const testVariables = ['TEST_REDIS_URL', 'TEST_KAFKA_BROKERS', 'TEST_MONGO_URL'] as const;

/** True when the caller supplied every service address, so the local services are not needed. */
function servicesPreset(): boolean {
  return testVariables.every((name) => Boolean(process.env[name]));
}

/** Starts the services unless `status` finds every one up; true when they are all up. */
async function ensureServices(): Promise<boolean> {
  if (servicesPreset()) {
    say(`using the services named by ${testVariables.join(', ')}`);
    return true;
  }
  const config = loadConfig();
  const down = (await status(config)).filter((row) => row.state !== 'up');
  if (down.length === 0) {
    say('services already up');
    return true;
  }
  say(`not up: ${down.map((row) => `${row.name} (${row.state})`).join(', ')}; running services:up`);
  const started = performance.now();
  try {
    await up(config, (message) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`[services +${seconds}s] ${message}`);
    });
    return true;
  } catch (error) {
    console.error(`[services] ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

interface Counts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Counts from vitest's JSON report. */
function countsOf(reportFile: string): Counts | null {
  if (!existsSync(reportFile)) return null;
  const report: unknown = JSON.parse(readFileSync(reportFile, 'utf8'));
  if (typeof report !== 'object' || report === null) return null;
  const count = (key: string) => {
    const value: unknown = Reflect.get(report, key);
    return typeof value === 'number' ? value : 0;
  };
  return {
    passed: count('numPassedTests'),
    failed: count('numFailedTests') + failedOutsideTests(Reflect.get(report, 'testResults')),
    skipped: count('numPendingTests') + count('numTodoTests'),
  };
}

/** Files that failed with no failing test (a hook or the import threw): each counts as a failure. */
function failedOutsideTests(files: unknown): number {
  if (!Array.isArray(files)) return 0;
  return files.filter((file: unknown) => {
    if (typeof file !== 'object' || file === null) return false;
    if (Reflect.get(file, 'status') !== 'failed') return false;
    const tests: unknown = Reflect.get(file, 'assertionResults');
    return !(
      Array.isArray(tests) &&
      tests.some(
        (test: unknown) =>
          typeof test === 'object' && test !== null && Reflect.get(test, 'status') === 'failed',
      )
    );
  }).length;
}

/**
 * The suite runs in two passes: everything else in parallel, then the fault tests (project
 * `faults`), which stop and kill the shared services and so run alone, one file at a time.
 * Explicit filters run as one pass over every project.
 */
function passesFor(extraArgs: readonly string[]): (readonly string[])[] {
  if (extraArgs.length > 0) return [extraArgs];
  return [
    ['--project', 'api', '--project', 'web', '--project', 'client'],
    ['--project', 'faults', '--passWithNoTests'],
  ];
}

async function runVitest(extraArgs: readonly string[]): Promise<boolean> {
  const env = serviceEnv(loadConfig());
  const testEnv = servicesPreset()
    ? process.env
    : {
        ...process.env,
        TEST_REDIS_URL: env.REDIS_URL,
        TEST_KAFKA_BROKERS: env.KAFKA_BROKERS,
        TEST_MONGO_URL: env.MONGO_URL,
      };
  say(testVariables.map((name) => `${name}=${testEnv[name] ?? ''}`).join(' '));
  // Keep the default output and add a JSON report for the closing counts, unless the caller
  // chose reporters.
  const ownReporters = extraArgs.some((arg) => arg.startsWith('--reporter'));
  const scratch = mkdtempSync(join(tmpdir(), 'parley-test-'));
  const total = { passed: 0, failed: 0, skipped: 0 };
  let ok = true;
  try {
    for (const [index, passArgs] of passesFor(extraArgs).entries()) {
      const reportFile = join(scratch, `vitest-${index}.json`);
      const reporterArgs = ownReporters
        ? []
        : ['--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`];
      say(`vitest run ${passArgs.join(' ')}`);
      ok = (await run('npx', ['vitest', 'run', ...reporterArgs, ...passArgs], testEnv)) && ok;
      const counts = ownReporters ? null : countsOf(reportFile);
      if (counts) {
        total.passed += counts.passed;
        total.failed += counts.failed;
        total.skipped += counts.skipped;
      }
    }
    if (!ownReporters) {
      console.log(
        `vitest: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`,
      );
    }
    return ok;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(extraArgs: readonly string[]): Promise<number> {
  const results: PhaseResult[] = [];
  results.push(await phase('lint', () => run('npm', ['run', '--silent', 'lint'])));
  results.push(await phase('typecheck', () => run('npm', ['run', '--silent', 'typecheck'])));
  const services = await phase('services', ensureServices);
  results.push(services);
  if (services.ok) results.push(await phase('vitest', () => runVitest(extraArgs)));
  else say('vitest: not run, the services are not up');
  const failed = results.filter((result) => !result.ok);
  say(
    `summary: ${results.map((r) => `${r.name} ${r.ok ? 'ok' : 'FAILED'}`).join(', ')}` +
      (services.ok ? '' : ', vitest not run'),
  );
  return failed.length === 0 && services.ok ? 0 : 1;
}

// `node scripts/test.ts -- <filters>` works like `npm test -- <filters>` (npm drops the `--`).
const args = process.argv.slice(2);
process.exitCode = await main(args[0] === '--' ? args.slice(1) : args);
