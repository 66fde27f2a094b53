import { type Logger, pino } from 'pino';
import type { Config } from './config.ts';

/** The process logger: structured JSON lines on stdout. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'parley-api' } });
}

export type { Logger };
