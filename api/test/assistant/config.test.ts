import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/app/config.ts';

describe('assistant configuration', () => {
  it('defaults to gemini-2.5-flash, no key, and parses the fallback list', () => {
    const defaults = loadConfig({});
    expect(defaults.gemini).toEqual({
      apiKey: null,
      model: 'gemini-2.5-flash',
      fallbackModels: [],
      baseUrl: null,
    });

    const set = loadConfig({
      GEMINI_API_KEY: 'k',
      GEMINI_FALLBACK_MODELS: ' gemini-2.5-flash-lite, ,gemini-2.0-flash ',
      GEMINI_BASE_URL: 'http://127.0.0.1:9999',
      ASSISTANT_RATE_LIMIT: '3/1m',
    });
    expect(set.gemini.fallbackModels).toEqual(['gemini-2.5-flash-lite', 'gemini-2.0-flash']);
    expect(set.gemini.baseUrl).toBe('http://127.0.0.1:9999');
    expect(set.assistant.rateLimit).toEqual({ limit: 3, windowMs: 60_000 });
  });

  it('fails fast, naming the variable, on bad assistant settings', () => {
    expect(() => loadConfig({ GEMINI_BASE_URL: 'not a url' })).toThrow(/GEMINI_BASE_URL/);
    expect(() => loadConfig({ ASSISTANT_DAILY_TOKEN_BUDGET: '0' })).toThrow(
      /ASSISTANT_DAILY_TOKEN_BUDGET/,
    );
    expect(() =>
      loadConfig({ ASSISTANT_MAX_REPLY_MS: '60000', ASSISTANT_STALE_AFTER_MS: '60000' }),
    ).toThrow(ConfigError);
    expect(() =>
      loadConfig({ ASSISTANT_MAX_REPLY_MS: '60000', ASSISTANT_STALE_AFTER_MS: '60000' }),
    ).toThrow(/ASSISTANT_STALE_AFTER_MS: must exceed ASSISTANT_MAX_REPLY_MS/);
  });
});
