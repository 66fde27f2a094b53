import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../services/logger.ts';
import type { Config } from './config.ts';

/**
 * The JWT signing secret: JWT_SECRET when set; otherwise one generated on first start and
 * kept in DATA_DIR, so sessions survive restarts. Config refuses the fallback in production.
 */
export async function resolveJwtSecret(config: Config, logger: Logger): Promise<string> {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  const file = join(config.dataDir, 'jwt-secret');
  await mkdir(config.dataDir, { recursive: true });
  let secret: string;
  try {
    secret = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
    secret = randomBytes(48).toString('base64url');
    // `wx`: if another process created it first, fail instead of overwriting its secret.
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  }
  logger.warn({ file }, 'JWT_SECRET is not set: using the secret generated in DATA_DIR');
  return secret;
}
