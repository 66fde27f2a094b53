/** One turn of the conversation as the model sees it. */
export interface ModelTurn {
  readonly role: 'user' | 'model';
  readonly text: string;
}

export interface ModelRequest {
  readonly systemInstruction: string;
  readonly turns: readonly ModelTurn[];
  /** Aborting must close the upstream request so that no more tokens are billed. */
  readonly signal: AbortSignal;
}

/**
 * A piece of the reply. `usage` carries the reply's running token total so far: each one
 * supersedes the previous, so the last one seen is what the reply cost.
 */
export type ModelChunk =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'usage'; readonly totalTokens: number };

/** A streaming LLM (Gemini in `adapters/gemini`). Errors are thrown from the iterator. */
export interface AssistantModel {
  stream(request: ModelRequest): AsyncIterable<ModelChunk>;
}

/**
 * An expected model failure (upstream error, quota, blocked response) whose message is
 * readable by chat members and holds no secrets; the assistant shows it as the reason.
 */
export class AssistantModelError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AssistantModelError';
  }
}
