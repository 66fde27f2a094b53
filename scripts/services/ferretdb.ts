/**
 * FerretDB v1 (MongoDB wire protocol on SQLite), built through the Go module proxy from the
 * wrapper module kept in `ferretdb/` beside this file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type ServicesConfig, servicePaths } from './config.ts';
import { portOpen, runCommand } from './process.ts';
import type { Log, ServiceDef } from './service.ts';

const wrapperModule = join(import.meta.dirname, 'ferretdb');
const ferretdbPackage = 'github.com/FerretDB/FerretDB/cmd/ferretdb';

/** Path of the cached ferretdb binary. */
export function ferretdbBinary(config: ServicesConfig): string {
  return join(servicePaths(config).bin, 'ferretdb');
}

/** The FerretDB version pinned by the wrapper module's go.mod. */
function pinnedVersion(): string {
  const goMod = readFileSync(join(wrapperModule, 'go.mod'), 'utf8');
  const match = /github\.com\/FerretDB\/FerretDB (v\d+\.\d+\.\d+)/.exec(goMod);
  if (!match?.[1]) throw new Error(`no FerretDB version in ${join(wrapperModule, 'go.mod')}`);
  return match[1];
}

/**
 * Builds the binary unless the cached one matches go.mod/go.sum.
 *
 * Recent Go toolchains record the tool's own module as the binary's main module, and FerretDB
 * then insists on a generated `build/version/version.txt` that the module zip lacks (it panics at
 * start-up). So the build vendors the module, adds that one file, and builds from the vendor tree.
 */
export async function prepareFerretdb(config: ServicesConfig, log: Log): Promise<void> {
  const paths = servicePaths(config);
  const binary = ferretdbBinary(config);
  const stampFile = `${binary}.stamp`;
  const stamp = createHash('sha256')
    .update(readFileSync(join(wrapperModule, 'go.mod')))
    .update(readFileSync(join(wrapperModule, 'go.sum')))
    .digest('hex');
  // FerretDB's SQLite backend wants its data directory to exist already.
  mkdirSync(join(paths.ferretdb, 'data'), { recursive: true });
  if (
    existsSync(binary) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8').trim() === stamp
  ) {
    return;
  }
  const version = pinnedVersion();
  const logFile = join(paths.logs, 'setup-ferretdb.log');
  const work = join(paths.build, 'ferretdb');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(join(wrapperModule, 'go.mod'), join(work, 'go.mod'));
  cpSync(join(wrapperModule, 'go.sum'), join(work, 'go.sum'));
  log(`downloading FerretDB ${version} and its dependencies (Go module proxy, go mod vendor)`);
  await runCommand('go', ['mod', 'vendor'], { cwd: work, logFile });
  writeFileSync(
    join(work, 'vendor', 'github.com', 'FerretDB', 'FerretDB', 'build', 'version', 'version.txt'),
    `${version}\n`,
  );
  log(`building FerretDB ${version} (go build, a minute or two)`);
  mkdirSync(paths.bin, { recursive: true });
  await runCommand(
    'go',
    ['build', '-mod=vendor', '-trimpath', '-o', `${binary}.partial`, ferretdbPackage],
    { cwd: work, logFile },
  );
  // Prove it starts far enough to report its version before caching it.
  const reported = execFileSync(`${binary}.partial`, ['--version'], { encoding: 'utf8' });
  if (!reported.includes(`version: ${version}`)) {
    throw new Error(`built FerretDB reports "${reported.trim()}", expected version ${version}`);
  }
  renameSync(`${binary}.partial`, binary);
  writeFileSync(stampFile, `${stamp}\n`);
  rmSync(work, { recursive: true, force: true });
}

/** The FerretDB process: SQLite backend with its data on disk, telemetry off. */
export function ferretdbService(config: ServicesConfig): ServiceDef {
  const paths = servicePaths(config);
  return {
    name: 'ferretdb',
    port: config.mongoPort,
    spec: {
      name: 'ferretdb',
      command: ferretdbBinary(config),
      args: [
        '--handler=sqlite',
        `--sqlite-url=file:${join(paths.ferretdb, 'data')}/`,
        `--listen-addr=127.0.0.1:${config.mongoPort}`,
        `--state-dir=${paths.ferretdb}`,
        '--telemetry=disable',
        // Its debug HTTP listener would claim a fixed port (8088) that nothing here uses.
        '--debug-addr=-',
        '--log-format=text',
      ],
      cwd: paths.ferretdb,
      logFile: join(paths.logs, 'ferretdb.log'),
      pidFile: join(paths.run, 'ferretdb.pid'),
    },
    ready: () => portOpen(config.mongoPort),
  };
}
