/**
 * Process supervision for the local services: detached start with logs to a file, pid files,
 * ownership checks, stop by pid, readiness polling and setup commands.
 */
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** How to run one long-lived service process. */
export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Working directory. A live pid whose cwd is this folder is ours; anything else is not. */
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly logFile: string;
  readonly pidFile: string;
}

/** The recorded pid of spec when that process is alive and ours, else null. */
export function runningPid(spec: ProcessSpec): number | null {
  if (!existsSync(spec.pidFile)) return null;
  const pid = Number.parseInt(readFileSync(spec.pidFile, 'utf8').trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return isOurs(pid, spec.cwd) ? pid : null;
}

/**
 * True when pid is alive and runs in cwd. The cwd check keeps a recycled pid (some other
 * program that got the number after ours died) from ever being reported or signalled.
 */
function isOurs(pid: number, cwd: string): boolean {
  let actual: string;
  try {
    actual = readlinkSync(`/proc/${pid}/cwd`);
  } catch (error) {
    // ENOENT: no such process (or a zombie); EACCES: another user's process. Neither is ours.
    if (isErrno(error, 'ENOENT') || isErrno(error, 'EACCES')) return false;
    throw error;
  }
  return existsSync(cwd) && actual === realpathSync(cwd);
}

/** Starts spec detached in its own process group, output appended to its log; returns the pid. */
export function startProcess(spec: ProcessSpec): number {
  mkdirSync(spec.cwd, { recursive: true });
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  appendFileSync(
    spec.logFile,
    `\n--- ${new Date().toISOString()} starting ${spec.name}: ${spec.command} ${spec.args.join(' ')}\n`,
  );
  const out = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    if (child.pid === undefined) {
      throw new Error(`could not start ${spec.name}: is ${spec.command} installed?`);
    }
    // The service must outlive this command, so don't keep our event loop waiting on it.
    child.unref();
    writeFileSync(spec.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** Options for {@link stopProcess}. */
export interface StopOptions {
  /** First signal; `SIGKILL` simulates a crash. Defaults to `SIGTERM`. */
  readonly signal?: NodeJS.Signals;
  /** How long to wait for a graceful exit before `SIGKILL`. */
  readonly timeoutMs?: number;
}

/** Stops spec's recorded process if it is ours and alive; true when one was stopped. */
export async function stopProcess(spec: ProcessSpec, options: StopOptions = {}): Promise<boolean> {
  const pid = runningPid(spec);
  if (pid === null) {
    rmSync(spec.pidFile, { force: true });
    return false;
  }
  signal(pid, options.signal ?? 'SIGTERM');
  const exited = await waitForExit(pid, spec.cwd, options.timeoutMs ?? 30_000);
  if (!exited) {
    signal(pid, 'SIGKILL');
    if (!(await waitForExit(pid, spec.cwd, 10_000))) {
      throw new Error(`${spec.name} (pid ${pid}) survived SIGKILL`);
    }
  }
  rmSync(spec.pidFile, { force: true });
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    // It exited between our check and the signal: that is what we wanted.
    if (!isErrno(error, 'ESRCH')) throw error;
  }
}

async function waitForExit(pid: number, cwd: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isOurs(pid, cwd)) {
    if (Date.now() > deadline) return false;
    await delay(100);
  }
  return true;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolvePromise(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Options for {@link waitUntil}. */
export interface WaitOptions {
  readonly what: string;
  readonly timeoutMs: number;
  /** Checked between attempts; when it turns false the wait fails at once with the log tail. */
  readonly spec?: ProcessSpec;
}

/** Polls check until it is true; throws after the timeout or when spec's process dies. */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    if (options.spec && runningPid(options.spec) === null) {
      throw new Error(
        `${options.spec.name} exited while waiting for ${options.what}; last lines of ${options.spec.logFile}:\n${logTail(options.spec.logFile)}`,
      );
    }
    if (Date.now() > deadline) {
      const tail = options.spec ? `\n${logTail(options.spec.logFile)}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${tail}`);
    }
    await delay(250);
  }
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 25): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** Options for {@link runCommand}. */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Output goes here instead of the terminal; its tail is shown on failure. */
  readonly logFile: string;
}

/** Runs a setup command to completion (install, download, build, format); rejects on failure. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<void> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  appendFileSync(
    options.logFile,
    `\n--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`,
  );
  const out = openSync(options.logFile, 'a');
  return new Promise<void>((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', out, out],
    });
    child.once('error', (error) => {
      closeSync(out);
      reject(new Error(`could not run ${command}: ${error.message}`));
    });
    child.once('exit', (code, signalName) => {
      closeSync(out);
      if (code === 0) resolvePromise();
      else {
        const status = code === null ? `signal ${signalName}` : `exit code ${code}`;
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (${status}); last lines of ${options.logFile}:\n${logTail(options.logFile)}`,
          ),
        );
      }
    });
  });
}

/** True when command can be run (found on PATH). */
export function commandExists(command: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, ['--version'], { stdio: 'ignore' });
    child.once('error', () => resolvePromise(false));
    child.once('exit', () => resolvePromise(true));
  });
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
