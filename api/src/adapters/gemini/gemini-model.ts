import { type GenerateContentResponse, GoogleGenAI } from '@google/genai';
import type { AssistantModel, ModelChunk, ModelRequest } from '../../ports/assistant-model.ts';
import { AssistantModelError } from '../../ports/assistant-model.ts';
import { GeminiBlockedError, isFallbackStatus, toModelError } from './errors.ts';

/** How to reach Gemini. */
export interface GeminiModelOptions {
  readonly apiKey: string;
  /** Tried first, e.g. `gemini-2.5-flash`. */
  readonly model: string;
  /** Tried in order when the previous model answers 429 or 5xx before any text. */
  readonly fallbackModels: readonly string[];
  /** Overrides `https://generativelanguage.googleapis.com` (proxies, the test fixture). */
  readonly baseUrl: string | null;
}

/** Finish reasons that mean the reply was cut for policy reasons rather than completed. */
const BLOCKING_FINISH_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
]);

/** The visible text of a chunk; thought summaries are not part of the reply. */
function textOf(chunk: GenerateContentResponse): string {
  const parts = chunk.candidates?.[0]?.content?.parts ?? [];
  return parts
    .filter((part) => part.thought !== true && typeof part.text === 'string')
    .map((part) => part.text)
    .join('');
}

/** An AssistantModel on `@google/genai` that streams, falls back across models and aborts. */
export function createGeminiModel(options: GeminiModelOptions): AssistantModel {
  const client = new GoogleGenAI({
    apiKey: options.apiKey,
    ...(options.baseUrl === null ? {} : { httpOptions: { baseUrl: options.baseUrl } }),
  });
  const models = [options.model, ...options.fallbackModels];

  async function* streamFrom(model: string, request: ModelRequest): AsyncGenerator<ModelChunk> {
    const response = await client.models.generateContentStream({
      model,
      contents: request.turns.map((turn) => ({ role: turn.role, parts: [{ text: turn.text }] })),
      config: {
        systemInstruction: request.systemInstruction,
        abortSignal: request.signal,
        // Resuming a dropped stream would re-bill the prompt behind the user's back.
        automaticContinuation: false,
      },
    });
    let lastTotal = 0;
    let finished = false;
    for await (const chunk of response) {
      const blockReason = chunk.promptFeedback?.blockReason;
      if (blockReason !== undefined) throw new GeminiBlockedError('prompt', blockReason);
      const text = textOf(chunk);
      if (text !== '') yield { type: 'text', text };
      const total = chunk.usageMetadata?.totalTokenCount;
      if (total !== undefined && total !== lastTotal) {
        lastTotal = total;
        yield { type: 'usage', totalTokens: total };
      }
      const finishReason = chunk.candidates?.[0]?.finishReason;
      if (finishReason !== undefined) {
        if (BLOCKING_FINISH_REASONS.has(finishReason)) {
          throw new GeminiBlockedError('reply', finishReason);
        }
        finished = true;
      }
    }
    if (!finished) throw new AssistantModelError(`Gemini ${model} ended the reply unfinished`);
  }

  return {
    async *stream(request) {
      // Also abort when the consumer stops early, so no upstream stream outlives the reply.
      const stop = new AbortController();
      const signal = AbortSignal.any([request.signal, stop.signal]);
      try {
        for (const [index, model] of models.entries()) {
          let streamedText = false;
          try {
            for await (const chunk of streamFrom(model, { ...request, signal })) {
              if (chunk.type === 'text') streamedText = true;
              yield chunk;
            }
            return;
          } catch (error) {
            // An abort is the caller's own doing: let it surface unchanged.
            if (request.signal.aborted) throw error;
            const canFallBack = !streamedText && index < models.length - 1;
            if (canFallBack && isFallbackStatus(error)) continue;
            throw toModelError(error, model);
          }
        }
      } finally {
        stop.abort();
      }
    },
  };
}
