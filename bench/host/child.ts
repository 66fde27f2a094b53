import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { ProbeReply, ProbeRequest, ServerStats } from '../protocol.ts';

/** The repository root (bench/host/ is two levels down). */
export const repoRoot = resolve(import.meta.dirname, '..', '..');

const PROBE = resolve(import.meta.dirname, 'probe.ts');

/** Children still running, killed if the bench itself exits first (Ctrl-C, a crash). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const orphan of running) orphan.kill('SIGKILL');
  });
}
const LOG_LINES_KEPT = 200;

/**
 * Lines that are known, harmless noise: kafkajs 2.2.4 on Node 24 sets a negative timeout
 * when a client connects (https://github.com/tulios/kafkajs/issues/1751), and Node prints a
 * three-line warning about it.
 */
const KNOWN_NOISE = [
  /TimeoutNegativeWarning: -?\d+ is a negative number/,
  /^Timeout duration was set to 1\.$/,
  /^\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)$/,
];

/** A Node child process under test, with the probe preloaded and its output kept. */
export interface ProbedChild {
  readonly pid: number;
  /** Settles when the process exits, for whatever reason. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: string | null }>;
  /** The last lines it wrote (stdout and stderr), for error reports. */
  logTail(): string;
  /** Log lines at warn level or above (pino levels 40+), or on stderr: a count and samples. */
  problems(): { readonly count: number; readonly samples: readonly string[] };
  stats(gc: boolean): Promise<ServerStats>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Spawns `node --expose-gc --import probe.ts <script>` in `cwd` (default: the repository root). */
export function spawnProbed(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string = repoRoot,
  nodeArgs: readonly string[] = [],
): ProbedChild {
  const args = ['--expose-gc', ...nodeArgs, '--import', PROBE, script];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${script}`);
  killOnExit(child);
  const lines: string[] = [];
  let problemCount = 0;
  // One sample per kind of line (digits ignored), so a warning repeated per start shows once.
  const problemSamples = new Map<string, string>();
  const keep = (chunk: Buffer, fromStderr: boolean) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > LOG_LINES_KEPT) lines.shift();
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
      const noise = KNOWN_NOISE.some((pattern) => pattern.test(line.trim()));
      if (!noise && (fromStderr || level >= 40)) {
        problemCount += 1;
        const kind = line.replace(/\d+/g, '#').slice(0, 120);
        if (problemSamples.size < 5 && !problemSamples.has(kind)) {
          problemSamples.set(kind, line.slice(0, 300));
        }
      }
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => keep(chunk, false));
  child.stderr?.on('data', (chunk: Buffer) => keep(chunk, true));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });

  let nextId = 1;
  const waiting = new Map<number, (stats: ServerStats) => void>();
  child.on('message', (message: unknown) => {
    const reply = message as Partial<ProbeReply>;
    if (reply.type !== 'parley-bench-probe' || reply.id === undefined || !reply.stats) return;
    waiting.get(reply.id)?.(reply.stats);
    waiting.delete(reply.id);
  });

  return {
    pid,
    exited,
    logTail: () => lines.join('\n'),
    problems: () => ({ count: problemCount, samples: [...problemSamples.values()] }),
    stats(gc) {
      const id = nextId++;
      const request: ProbeRequest = { type: 'parley-bench-probe', id, gc };
      return new Promise<ServerStats>((resolveStats, reject) => {
        waiting.set(id, resolveStats);
        child.send(request, (error) => {
          if (error) {
            waiting.delete(id);
            reject(error);
          }
        });
        void exited.then(() => {
          if (waiting.delete(id)) reject(new Error(`${script} exited before answering the probe`));
        });
      });
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const { code } = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
