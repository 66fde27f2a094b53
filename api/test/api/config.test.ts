import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/app/config.ts';

describe('config', () => {
  it('has working defaults', () => {
    const config = loadConfig({}, '/srv/parley');
    expect(config.http.port).toBe(4000);
    expect(config.dataDir).toBe('/srv/parley/.data');
    expect(config.auth.jwtSecret).toBeNull();
    expect(config.auth.scryptLog2N).toBe(17);
    expect(config.chat.maxBodyLength).toBe(4000);
    expect(config.chat.resyncThreshold).toBe(500);
    expect(config.limits.sendMessage).toEqual({ limit: 30, windowMs: 10_000 });
  });

  it('names every bad variable', () => {
    const attempt = () =>
      loadConfig({ PORT: 'eighty', RATE_LIMIT_LOG_IN: 'lots', QUERY_MAX_DEPTH: '0' }, '/');
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT/);
    expect(attempt).toThrow(/RATE_LIMIT_LOG_IN/);
    expect(attempt).toThrow(/QUERY_MAX_DEPTH/);
  });

  it('requires a strong JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, '/')).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' }, '/')).toThrow(
      /JWT_SECRET/,
    );
    const secret = 'x'.repeat(32);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }, '/').auth.jwtSecret).toBe(
      secret,
    );
  });

  it('parses rate rules and resolves relative paths against the base directory', () => {
    const config = loadConfig(
      { RATE_LIMIT_SIGN_UP: '3/2h', DATA_DIR: 'data', WEB_DIST_DIR: '/abs/dist' },
      '/base',
    );
    expect(config.limits.signUp).toEqual({ limit: 3, windowMs: 7_200_000 });
    expect(config.dataDir).toBe('/base/data');
    expect(config.http.webDistDir).toBe('/abs/dist');
  });
});
