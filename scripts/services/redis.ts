/** Redis: Debian's redis-server run as a plain child process with append-only persistence. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ensureAptCommand } from './apt.ts';
import { type ServicesConfig, servicePaths } from './config.ts';
import type { Log, ServiceDef } from './service.ts';

/** Installs redis-server with apt when missing and writes its config. */
export async function prepareRedis(config: ServicesConfig, log: Log): Promise<void> {
  const paths = servicePaths(config);
  await ensureAptCommand('redis-server', 'redis-server', join(paths.logs, 'setup-apt.log'), log);
  mkdirSync(paths.redis, { recursive: true });
  // Rewritten on every prepare so a changed PARLEY_REDIS_PORT takes effect on the next start.
  writeFileSync(
    join(paths.redis, 'redis.conf'),
    [
      '# Written by scripts/services/redis.ts; edits are overwritten.',
      'bind 127.0.0.1',
      `port ${config.redisPort}`,
      'daemonize no',
      `dir ${paths.redis}`,
      'logfile ""',
      // The Kafka-outage outbox is a Redis Stream, so it must survive a crash: AOF, fsync each second.
      'appendonly yes',
      'appendfsync everysec',
      'save ""',
      '',
    ].join('\n'),
  );
}

/** The redis-server process. */
export function redisService(config: ServicesConfig): ServiceDef {
  const paths = servicePaths(config);
  return {
    name: 'redis',
    port: config.redisPort,
    spec: {
      name: 'redis',
      command: 'redis-server',
      args: [join(paths.redis, 'redis.conf')],
      cwd: paths.redis,
      logFile: join(paths.logs, 'redis.log'),
      pidFile: join(paths.run, 'redis.pid'),
    },
    ready: () => redisPing(config.redisPort),
  };
}

/** True when Redis answers PING with PONG (not while it is still loading its AOF). */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
