import { ApiError } from '@google/genai';
import { AssistantModelError } from '../../ports/assistant-model.ts';

/** Thrown when Gemini refuses the prompt or stops the reply for safety (or similar) reasons. */
export class GeminiBlockedError extends AssistantModelError {
  /** `promptFeedback.blockReason` or the candidate's `finishReason`, e.g. `SAFETY`. */
  readonly reason: string;
  readonly stage: 'prompt' | 'reply';
  constructor(stage: 'prompt' | 'reply', reason: string) {
    super(
      stage === 'prompt'
        ? `Gemini blocked the prompt (${reason})`
        : `Gemini stopped the reply (${reason})`,
    );
    this.name = 'GeminiBlockedError';
    this.stage = stage;
    this.reason = reason;
  }
}

/** Statuses worth trying the next model for: quota and server-side failures. */
export function isFallbackStatus(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 429 || error.status >= 500);
}

const MAX_DETAIL = 160;

/** The `{ error: { status, message } }` body inside an ApiError's message, when there is one. */
function upstreamDetail(error: ApiError): string {
  const start = error.message.indexOf('{');
  if (start >= 0) {
    try {
      const parsed: unknown = JSON.parse(error.message.slice(start));
      if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
        const body = parsed.error;
        if (typeof body === 'object' && body !== null) {
          const status = 'status' in body && typeof body.status === 'string' ? body.status : '';
          const message = 'message' in body && typeof body.message === 'string' ? body.message : '';
          return [status, message].filter(Boolean).join(': ');
        }
      }
    } catch {
      // Not JSON after all: fall through to the raw message.
    }
  }
  return error.message;
}

function clip(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

/** Wraps any failure of a Gemini call in an AssistantModelError with a readable message. */
export function toModelError(error: unknown, model: string): AssistantModelError {
  if (error instanceof AssistantModelError) return error;
  if (error instanceof ApiError) {
    return new AssistantModelError(
      clip(`Gemini ${model} failed with ${error.status} ${upstreamDetail(error)}`),
      { cause: error },
    );
  }
  const cause = error instanceof Error ? error.cause : undefined;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : null;
  const what = code ?? (error instanceof Error ? error.message : String(error));
  return new AssistantModelError(clip(`could not reach Gemini ${model} (${what})`), {
    cause: error,
  });
}
