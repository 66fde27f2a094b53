/**
 * `npm run services:up|down|status`, plus `start|stop <service>` for fault drills:
 *   node scripts/services/cli.ts up | down | status | env
 *   node scripts/services/cli.ts stop kafka-2 [--kill]   (also: redis, kafka, ferretdb, kafka-1…3)
 *   node scripts/services/cli.ts start kafka-2
 */
import {
  down,
  type Log,
  loadConfig,
  SERVICE_NAMES,
  type ServiceTarget,
  serviceEnv,
  startService,
  status,
  stopService,
  up,
} from './index.ts';

const usage =
  'usage: node scripts/services/cli.ts up | down | status | env | start <service> | stop <service> [--kill]\n' +
  `services: ${SERVICE_NAMES.join(', ')}, kafka (all three brokers)`;

function reporter(): Log {
  const started = performance.now();
  return (message) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`[services +${seconds}s] ${message}`);
  };
}

function parseTarget(value: string | undefined): ServiceTarget {
  const targets: readonly string[] = [...SERVICE_NAMES, 'kafka'];
  if (value === undefined || !targets.includes(value)) {
    throw new Error(`unknown service "${value ?? ''}"\n${usage}`);
  }
  return value as ServiceTarget;
}

function printEnv(): void {
  for (const [name, value] of Object.entries(serviceEnv(loadConfig()))) {
    console.log(`${name}=${value}`);
  }
}

async function main(args: readonly string[]): Promise<number> {
  const [command, target, ...flags] = args;
  const config = loadConfig();
  switch (command) {
    case 'up': {
      const log = reporter();
      await up(config, log);
      log('all services are up; use these settings:');
      printEnv();
      return 0;
    }
    case 'down':
      await down(config, reporter());
      return 0;
    case 'status': {
      const rows = await status(config);
      for (const row of rows) {
        const pid = row.pid === null ? '-' : String(row.pid);
        const note = row.note ? `  (${row.note})` : '';
        console.log(
          `${row.name.padEnd(9)} ${row.state.padEnd(9)} pid ${pid.padEnd(8)} 127.0.0.1:${row.port}${note}`,
        );
      }
      return rows.every((row) => row.state === 'up') ? 0 : 1;
    }
    case 'env':
      printEnv();
      return 0;
    case 'start':
      await startService(parseTarget(target), config, reporter());
      return 0;
    case 'stop':
      await stopService(
        parseTarget(target),
        flags.includes('--kill') ? { signal: 'SIGKILL' } : {},
        config,
        reporter(),
      );
      return 0;
    default:
      console.error(usage);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`[services] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
