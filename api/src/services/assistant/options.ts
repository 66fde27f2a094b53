import type { UserId } from '../../domain/model.ts';
import type { RateLimitRule } from '../../ports/rate-limiter.ts';

/** The reason a reply fails with when no model is configured. */
export const NOT_CONFIGURED = 'assistant not configured (set GEMINI_API_KEY)';

/** Assistant settings taken from config. */
export interface AssistantOptions {
  /** The deployment's assistant user, created at start when missing. */
  readonly userId: UserId;
  readonly name: string;
  /** The deployment's instruction to the model. */
  readonly systemInstruction: string;
  /** Most history messages read for context. */
  readonly contextMessages: number;
  /** Most characters of history sent to the model. */
  readonly contextChars: number;
  /** A reply fails when the model makes no progress for this long. */
  readonly idleTimeoutMs: number;
  /** A reply fails when it runs longer than this. */
  readonly maxReplyMs: number;
  /** Least time between two `MessageUpdated` events of one reply. */
  readonly updateIntervalMs: number;
  /** How often STREAMING replies left behind by a crashed instance are looked for. */
  readonly sweepIntervalMs: number;
  /** A STREAMING reply older than this has no live instance behind it (above maxReplyMs). */
  readonly staleAfterMs: number;
  /** How long a cancel waits for the instance streaming the reply to answer. */
  readonly cancelWaitMs: number;
  /** `/ai` prompts per user. */
  readonly rateLimit: RateLimitRule;
  /** Tokens per user per UTC day, counted from the model's usage metadata. */
  readonly dailyTokenBudget: number;
}
