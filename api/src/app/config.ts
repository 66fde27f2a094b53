import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { RateLimitRule } from '../ports/rate-limiter.ts';
import type { AssistantOptions } from '../services/assistant/options.ts';

const DEFAULT_SYSTEM_INSTRUCTION =
  'You are a helpful assistant in a chat app. Answer briefly and conversationally, in plain text.';

const integer = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** A rate limit written as `<count>/<window>`, e.g. `30/10s`, `10/15m` (units ms, s, m, h). */
const rateRule = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx): RateLimitRule => {
      const match = /^(\d+)\/(\d+)(ms|s|m|h)$/.exec(value.trim());
      const [, limit, amount, unit] = match ?? [];
      if (!limit || !amount || !unit || Number(limit) < 1 || Number(amount) < 1) {
        ctx.addIssue({ code: 'custom', message: 'expected <count>/<window>, e.g. 30/10s' });
        return z.NEVER;
      }
      return {
        limit: Number(limit),
        windowMs: Number(amount) * unitMs[unit as keyof typeof unitMs],
      };
    });

/**
 * Every environment variable the API reads, with its default. Add new settings here (one
 * line each); `loadConfig` groups them for the code.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(4000, 0, 65_535),
  /** Where the embedded store and the generated JWT secret live. Relative to where npm ran. */
  DATA_DIR: z.string().min(1).default('.data'),
  /** Directory of the built web app served at `/` (default `web/dist` when it exists). */
  WEB_DIST_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Take client addresses from X-Forwarded-For (only behind a trusted proxy). */
  TRUST_PROXY: flag(false),

  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: integer(900, 10),
  REFRESH_TOKEN_TTL_SECONDS: integer(30 * 24 * 3600, 60),
  /** log2 of scrypt's N. 17 is OWASP's recommendation; tests lower it to run fast. */
  PASSWORD_SCRYPT_LOG2N: integer(17, 10, 20),

  MESSAGE_MAX_LENGTH: integer(4000, 1, 100_000),
  MAX_GROUP_MEMBERS: integer(100, 2, 10_000),
  RESYNC_THRESHOLD: integer(500, 1),
  TYPING_TTL_MS: integer(6_000, 100),
  PRESENCE_GRACE_MS: integer(5_000, 0),

  QUERY_MAX_DEPTH: integer(12, 1),
  QUERY_MAX_ALIASES: integer(15, 1),
  QUERY_MAX_TOKENS: integer(2_000, 10),
  QUERY_MAX_COST: integer(5_000, 1),
  REQUEST_MAX_BYTES: integer(100_000, 1_000),
  WS_MAX_PAYLOAD_BYTES: integer(100_000, 1_000),
  WS_KEEPALIVE_MS: integer(12_000, 1_000),
  SHUTDOWN_TIMEOUT_MS: integer(10_000, 100),

  RATE_LIMIT_SEND_MESSAGE: rateRule('30/10s'),
  RATE_LIMIT_SIGN_UP: rateRule('10/15m'),
  RATE_LIMIT_LOG_IN: rateRule('20/5m'),

  /** The distributed adapters (docs/DISTRIBUTED.md); each switches its part on independently. */
  REDIS_URL: z.url().optional(),
  KAFKA_BROKERS: z.string().min(1).optional(),
  MONGO_URL: z.string().min(1).optional(),
  REDIS_KEY_PREFIX: z.string().min(1).max(64).default('parley'),
  CACHE_WINDOW_SIZE: integer(200, 1, 10_000),
  CACHE_TTL_SECONDS: integer(86_400, 1),
  SEQ_LEASE_BLOCK: integer(1_000, 1, 1_000_000),
  SEQ_LEASE_MS: integer(5_000, 100),
  /** Redis without MongoDB: seqs skipped when Redis lost a counter (covers sends in flight). */
  SEQ_RESEED_MARGIN: integer(1_000, 0),
  PRESENCE_TTL_MS: integer(30_000, 1_000),
  KAFKA_CLIENT_ID: z.string().min(1).default('parley-api'),
  KAFKA_TOPIC: z.string().min(1).default('parley.messages'),
  KAFKA_DLQ_TOPIC: z.string().min(1).default('parley.messages.dlq'),
  KAFKA_PARTITIONS: integer(6, 1, 1_000),
  KAFKA_CONSUMER_GROUP: z.string().min(1).default('parley-persistence'),
  KAFKA_PRODUCE_TIMEOUT_MS: integer(3_000, 100),
  KAFKA_LINGER_MS: integer(5, 0, 1_000),
  /** How long a silent worker keeps its partitions before the group hands them to another. */
  KAFKA_SESSION_TIMEOUT_MS: integer(30_000, 6_000, 300_000),
  /** Run the persistence worker inside the API (false when `npm run worker` runs it alone). */
  PERSISTENCE_WORKER_IN_API: flag(true),
  /** Port of the standalone worker's /metrics and /healthz. */
  WORKER_PORT: integer(4100, 0, 65_535),

  /** The assistant (docs/ASSISTANT.md); without a key, `/ai` replies fail readably. */
  GEMINI_API_KEY: z.string().min(1).optional(),
  GEMINI_MODEL: z.string().min(1).default('gemini-2.5-flash'),
  /** Comma-separated models tried in order on 429 and 5xx. */
  GEMINI_FALLBACK_MODELS: z.string().default(''),
  GEMINI_BASE_URL: z.url().optional(),
  ASSISTANT_USER_ID: z.string().min(1).max(64).default('assistant'),
  ASSISTANT_NAME: z.string().trim().min(1).max(100).default('Parley Assistant'),
  ASSISTANT_SYSTEM_INSTRUCTION: z.string().trim().min(1).default(DEFAULT_SYSTEM_INSTRUCTION),
  ASSISTANT_CONTEXT_MESSAGES: integer(50, 1, 500),
  ASSISTANT_CONTEXT_CHARS: integer(16_000, 100),
  ASSISTANT_IDLE_TIMEOUT_MS: integer(30_000, 100),
  ASSISTANT_MAX_REPLY_MS: integer(120_000, 100),
  ASSISTANT_UPDATE_INTERVAL_MS: integer(100, 0),
  ASSISTANT_SWEEP_INTERVAL_MS: integer(60_000, 100),
  /** Must exceed ASSISTANT_MAX_REPLY_MS, so that a live reply is never swept. */
  ASSISTANT_STALE_AFTER_MS: integer(600_000, 1_000),
  ASSISTANT_CANCEL_WAIT_MS: integer(3_000, 100),
  ASSISTANT_RATE_LIMIT: rateRule('10/1m'),
  ASSISTANT_DAILY_TOKEN_BUDGET: integer(200_000, 1),
});

/** The validated configuration, grouped by concern. */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly trustProxy: boolean;
    readonly webDistDir: string | null;
    readonly shutdownTimeoutMs: number;
  };
  readonly dataDir: string;
  readonly logLevel: z.output<typeof envSchema>['LOG_LEVEL'];
  readonly auth: {
    /** Null when not set: a secret is generated into DATA_DIR (never in production). */
    readonly jwtSecret: string | null;
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlSeconds: number;
    readonly scryptLog2N: number;
  };
  readonly chat: {
    readonly maxBodyLength: number;
    readonly maxGroupMembers: number;
    readonly resyncThreshold: number;
    readonly typingTtlMs: number;
    readonly presenceGraceMs: number;
  };
  readonly limits: {
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxTokens: number;
    readonly maxCost: number;
    readonly requestMaxBytes: number;
    readonly wsMaxPayloadBytes: number;
    readonly wsKeepAliveMs: number;
    readonly sendMessage: RateLimitRule;
    readonly signUp: RateLimitRule;
    readonly logIn: RateLimitRule;
  };
  readonly distributed: {
    readonly redisUrl: string | null;
    readonly kafkaBrokers: readonly string[] | null;
    readonly mongoUrl: string | null;
    readonly redis: {
      readonly keyPrefix: string;
      readonly cacheWindow: number;
      readonly cacheTtlMs: number;
      readonly seqLeaseBlock: number;
      readonly seqLeaseMs: number;
      readonly seqReseedMargin: number;
      readonly presenceTtlMs: number;
    };
    readonly kafka: {
      readonly clientId: string;
      readonly topic: string;
      readonly deadLetterTopic: string;
      readonly partitions: number;
      readonly consumerGroup: string;
      readonly produceTimeoutMs: number;
      readonly lingerMs: number;
      readonly sessionTimeoutMs: number;
    };
    readonly worker: {
      /** Whether this API process runs the persistence worker. */
      readonly inApi: boolean;
      /** The standalone worker's HTTP port (/metrics, /healthz). */
      readonly port: number;
    };
  };
  readonly gemini: {
    /** Null when not set: the assistant then fails every reply with a readable reason. */
    readonly apiKey: string | null;
    readonly model: string;
    readonly fallbackModels: readonly string[];
    readonly baseUrl: string | null;
  };
  readonly assistant: AssistantOptions;
}

/** A configuration error that names every offending variable. */
export class ConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the configuration from environment variables. Throws ConfigError
 * naming each bad variable. `baseDir` anchors relative paths (default: where npm was run).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  baseDir: string = env['INIT_CWD'] ?? process.cwd(),
): Config {
  // Empty strings mean "unset", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError(['JWT_SECRET: required when NODE_ENV=production']);
  }
  if (e.ASSISTANT_STALE_AFTER_MS <= e.ASSISTANT_MAX_REPLY_MS) {
    throw new ConfigError(['ASSISTANT_STALE_AFTER_MS: must exceed ASSISTANT_MAX_REPLY_MS']);
  }
  const path = (value: string) => (isAbsolute(value) ? value : resolve(baseDir, value));
  return {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      trustProxy: e.TRUST_PROXY,
      webDistDir: e.WEB_DIST_DIR ? path(e.WEB_DIST_DIR) : null,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    },
    dataDir: path(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    auth: {
      jwtSecret: e.JWT_SECRET ?? null,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      scryptLog2N: e.PASSWORD_SCRYPT_LOG2N,
    },
    chat: {
      maxBodyLength: e.MESSAGE_MAX_LENGTH,
      maxGroupMembers: e.MAX_GROUP_MEMBERS,
      resyncThreshold: e.RESYNC_THRESHOLD,
      typingTtlMs: e.TYPING_TTL_MS,
      presenceGraceMs: e.PRESENCE_GRACE_MS,
    },
    limits: {
      maxDepth: e.QUERY_MAX_DEPTH,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxTokens: e.QUERY_MAX_TOKENS,
      maxCost: e.QUERY_MAX_COST,
      requestMaxBytes: e.REQUEST_MAX_BYTES,
      wsMaxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      wsKeepAliveMs: e.WS_KEEPALIVE_MS,
      sendMessage: e.RATE_LIMIT_SEND_MESSAGE,
      signUp: e.RATE_LIMIT_SIGN_UP,
      logIn: e.RATE_LIMIT_LOG_IN,
    },
    distributed: {
      redisUrl: e.REDIS_URL ?? null,
      kafkaBrokers: e.KAFKA_BROKERS ? e.KAFKA_BROKERS.split(',').map((b) => b.trim()) : null,
      mongoUrl: e.MONGO_URL ?? null,
      redis: {
        keyPrefix: e.REDIS_KEY_PREFIX,
        cacheWindow: e.CACHE_WINDOW_SIZE,
        cacheTtlMs: e.CACHE_TTL_SECONDS * 1000,
        seqLeaseBlock: e.SEQ_LEASE_BLOCK,
        seqLeaseMs: e.SEQ_LEASE_MS,
        seqReseedMargin: e.SEQ_RESEED_MARGIN,
        presenceTtlMs: e.PRESENCE_TTL_MS,
      },
      kafka: {
        clientId: e.KAFKA_CLIENT_ID,
        topic: e.KAFKA_TOPIC,
        deadLetterTopic: e.KAFKA_DLQ_TOPIC,
        partitions: e.KAFKA_PARTITIONS,
        consumerGroup: e.KAFKA_CONSUMER_GROUP,
        produceTimeoutMs: e.KAFKA_PRODUCE_TIMEOUT_MS,
        lingerMs: e.KAFKA_LINGER_MS,
        sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
      },
      worker: { inApi: e.PERSISTENCE_WORKER_IN_API, port: e.WORKER_PORT },
    },
    gemini: {
      apiKey: e.GEMINI_API_KEY ?? null,
      model: e.GEMINI_MODEL,
      fallbackModels: e.GEMINI_FALLBACK_MODELS.split(',')
        .map((model) => model.trim())
        .filter((model) => model !== ''),
      baseUrl: e.GEMINI_BASE_URL ?? null,
    },
    assistant: {
      userId: e.ASSISTANT_USER_ID,
      name: e.ASSISTANT_NAME,
      systemInstruction: e.ASSISTANT_SYSTEM_INSTRUCTION,
      contextMessages: e.ASSISTANT_CONTEXT_MESSAGES,
      contextChars: e.ASSISTANT_CONTEXT_CHARS,
      idleTimeoutMs: e.ASSISTANT_IDLE_TIMEOUT_MS,
      maxReplyMs: e.ASSISTANT_MAX_REPLY_MS,
      updateIntervalMs: e.ASSISTANT_UPDATE_INTERVAL_MS,
      sweepIntervalMs: e.ASSISTANT_SWEEP_INTERVAL_MS,
      staleAfterMs: e.ASSISTANT_STALE_AFTER_MS,
      cancelWaitMs: e.ASSISTANT_CANCEL_WAIT_MS,
      rateLimit: e.ASSISTANT_RATE_LIMIT,
      dailyTokenBudget: e.ASSISTANT_DAILY_TOKEN_BUDGET,
    },
  };
}
