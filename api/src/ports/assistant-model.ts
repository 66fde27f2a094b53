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

export type ModelChunk =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'usage'; readonly totalTokens: number };

/** A streaming LLM (Gemini in `adapters/gemini`). Errors are thrown from the iterator. */
export interface AssistantModel {
  stream(request: ModelRequest): AsyncIterable<ModelChunk>;
}
