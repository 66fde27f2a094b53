/**
 * A local Gemini-compatible HTTP server for tests. It speaks the real REST shapes that
 * `@google/genai` uses (`POST /v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse`), can be scripted per model (reply chunks, 429/500/503,
 * slow streams, stalls, blocked responses), and records every request together with
 * whether the client closed the connection before the response ended.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';

/** A promise with its settlers exposed, so tests wait on events instead of sleeping. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/** Creates a {@link Deferred}. */
export function createDeferred<T = void>(): Deferred<T> {
  const { promise, resolve, reject } = Promise.withResolvers<T>();
  return { promise, resolve, reject };
}

/** HTTP failures the fixture can answer with, in the real API's error body shape. */
export type FixtureFailure = 429 | 500 | 503;

/** What the fixture does for one model. Every field is optional; see `DEFAULT_SCRIPT`. */
export interface FixtureScript {
  /** Text parts streamed in order, one SSE event each. */
  readonly chunks?: readonly string[];
  /** Answer with this HTTP error instead of a reply. */
  readonly fail?: FixtureFailure;
  /** Stream this many chunks, then send an in-stream error event with `fail`'s status. */
  readonly failAfterChunks?: number;
  /** Server-side delay before each chunk (a slow model, not a test sleep). */
  readonly chunkDelayMs?: number;
  /**
   * Send this many chunks (0: headers only, fewer than `chunks`), then nothing more until the
   * test calls `resume()` on the request or the client leaves.
   */
  readonly stallAfterChunks?: number;
  /** Block the prompt: one event with `promptFeedback.blockReason` and no candidates. */
  readonly promptBlockReason?: string;
  /** The last event's `finishReason` (default `STOP`; `SAFETY` is a blocked response). */
  readonly finishReason?: string;
  /** `usageMetadata.promptTokenCount` (default: request text length / 4). */
  readonly promptTokens?: number;
  /** Tokens counted per streamed chunk (default: chunk length / 4). */
  readonly tokensPerChunk?: number;
}

const DEFAULT_SCRIPT: FixtureScript = { chunks: ['Hello', ' from', ' the fixture.'] };

/** How a recorded request's response ended. */
export type ResponseOutcome = 'completed' | 'client-closed';

/** One request the fixture received. */
export interface RecordedRequest {
  readonly model: string;
  readonly method: 'generateContent' | 'streamGenerateContent';
  readonly apiVersion: string;
  /** The `x-goog-api-key` header, or null when absent. */
  readonly apiKey: string | null;
  readonly body: GenerateContentRequest;
  /** Chunks written so far (streaming only). */
  readonly chunksSent: () => number;
  /** Resolves once a stalled response has sent everything it sends before stalling. */
  readonly stalled: Promise<void>;
  /** Lets a stalled stream carry on to its end. */
  resume(): void;
  /** Resolves when the response ended, or the client closed the connection first. */
  readonly outcome: Promise<ResponseOutcome>;
}

/** A running fixture server. */
export interface GeminiFixture extends AsyncDisposable {
  /** Pass as `httpOptions.baseUrl` / `GEMINI_BASE_URL`. */
  readonly baseUrl: string;
  /** The API key the fixture accepts. */
  readonly apiKey: string;
  readonly requests: readonly RecordedRequest[];
  /** Scripts one model; unscripted models use the default script. */
  script(model: string, script: FixtureScript): void;
  /** Replaces the script used for unscripted models. */
  scriptDefault(script: FixtureScript): void;
  /** Resolves with the `index`-th request (0-based) once it has arrived. */
  request(index: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

const partSchema = z.looseObject({ text: z.string().optional() });
const contentSchema = z.looseObject({
  role: z.enum(['user', 'model']).optional(),
  parts: z.array(partSchema).min(1),
});
const requestSchema = z.looseObject({
  contents: z.array(contentSchema).min(1),
  systemInstruction: z.looseObject({ parts: z.array(partSchema) }).optional(),
  generationConfig: z.looseObject({}).optional(),
});

/** The part of a `GenerateContentRequest` body the fixture understands. */
export type GenerateContentRequest = z.infer<typeof requestSchema>;

const ROUTE = /^\/(v1beta|v1|v1alpha)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const FAILURE_MESSAGE: Record<FixtureFailure, string> = {
  429: 'You exceeded your current quota, please check your plan and billing details.',
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  503: 'The model is overloaded. Please try again later.',
};

/** The body Google's APIs send with an error status. */
function errorBody(code: number, message: string): object {
  const details =
    code === 429
      ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }]
      : undefined;
  return { error: { code, message, status: STATUS_TEXT[code] ?? 'UNKNOWN', details } };
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

function promptText(body: GenerateContentRequest): string {
  const turns = body.contents.flatMap((content) => content.parts);
  const system = body.systemInstruction?.parts ?? [];
  return [...system, ...turns].map((part) => part.text ?? '').join('');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a fixture on a free port of 127.0.0.1. */
export async function startGeminiFixture(
  options: { apiKey?: string } = {},
): Promise<GeminiFixture> {
  const apiKey = options.apiKey ?? 'fixture-api-key';
  const scripts = new Map<string, FixtureScript>();
  let defaultScript = DEFAULT_SCRIPT;
  const requests: RecordedRequest[] = [];
  const arrivals: Deferred<RecordedRequest>[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();

  const arrival = (index: number): Deferred<RecordedRequest> => {
    for (let i = arrivals.length; i <= index; i++) arrivals.push(createDeferred());
    const deferred = arrivals[index];
    if (deferred === undefined) throw new Error(`no arrival slot ${index}`);
    return deferred;
  };

  const delay = (ms: number): Promise<void> => {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const route = ROUTE.exec(url.pathname);
    const [, apiVersion, model, method] = route ?? [];
    if (req.method !== 'POST' || !apiVersion || !model || !method) {
      sendJson(res, 404, errorBody(404, `Method not found: ${req.method} ${url.pathname}`));
      return;
    }
    const sentKey = req.headers['x-goog-api-key'];
    const requestKey = typeof sentKey === 'string' ? sentKey : null;
    if (requestKey === null) {
      sendJson(res, 403, errorBody(403, "Method doesn't allow unregistered callers."));
      return;
    }
    if (requestKey !== apiKey) {
      sendJson(res, 400, errorBody(400, 'API key not valid. Please pass a valid API key.'));
      return;
    }
    let parsed: GenerateContentRequest;
    try {
      parsed = requestSchema.parse(JSON.parse(await readBody(req)));
    } catch (error) {
      sendJson(res, 400, errorBody(400, `Invalid JSON payload received. ${String(error)}`));
      return;
    }
    const streaming = method === 'streamGenerateContent';
    if (streaming && url.searchParams.get('alt') !== 'sse') {
      sendJson(res, 400, errorBody(400, 'This fixture only streams with alt=sse.'));
      return;
    }

    let chunksSent = 0;
    const stalled = createDeferred();
    const resumed = createDeferred();
    const outcome = createDeferred<ResponseOutcome>();
    let clientGone = false;
    res.on('close', () => {
      clientGone = !res.writableFinished;
      outcome.resolve(clientGone ? 'client-closed' : 'completed');
    });
    const recorded: RecordedRequest = {
      model,
      method: streaming ? 'streamGenerateContent' : 'generateContent',
      apiVersion,
      apiKey: requestKey,
      body: parsed,
      chunksSent: () => chunksSent,
      stalled: stalled.promise,
      resume: () => resumed.resolve(),
      outcome: outcome.promise,
    };
    const index = requests.push(recorded) - 1;
    arrival(index).resolve(recorded);

    const script = scripts.get(model) ?? defaultScript;
    if (script.fail !== undefined && script.failAfterChunks === undefined) {
      sendJson(res, script.fail, errorBody(script.fail, FAILURE_MESSAGE[script.fail]));
      return;
    }

    const promptTokenCount = script.promptTokens ?? tokensOf(promptText(parsed));
    let candidatesTokenCount = 0;
    const usage = () => ({
      promptTokenCount,
      candidatesTokenCount,
      totalTokenCount: promptTokenCount + candidatesTokenCount,
    });
    const responseId = `fixture-${index}`;
    const envelope = (extra: object) => ({
      ...extra,
      usageMetadata: usage(),
      modelVersion: model,
      responseId,
    });
    const candidate = (text: string | null, finishReason?: string) => ({
      ...(text === null ? {} : { content: { parts: [{ text }], role: 'model' } }),
      ...(finishReason === undefined ? {} : { finishReason }),
      index: 0,
      ...(finishReason === 'SAFETY'
        ? {
            safetyRatings: [
              { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
            ],
          }
        : {}),
    });
    const blocked = () =>
      envelope({
        promptFeedback: {
          blockReason: script.promptBlockReason,
          safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH' }],
        },
      });
    const chunks = script.chunks ?? DEFAULT_SCRIPT.chunks ?? [];
    const finishReason = script.finishReason ?? 'STOP';
    const count = (chunk: string) => {
      candidatesTokenCount += script.tokensPerChunk ?? tokensOf(chunk);
    };

    if (!streaming) {
      if (script.stallAfterChunks !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        res.flushHeaders();
        stalled.resolve();
        return;
      }
      if (script.promptBlockReason !== undefined) {
        sendJson(res, 200, blocked());
        return;
      }
      for (const chunk of chunks) {
        await delay(script.chunkDelayMs ?? 0);
        count(chunk);
      }
      sendJson(res, 200, envelope({ candidates: [candidate(chunks.join(''), finishReason)] }));
      return;
    }

    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.flushHeaders();
    const send = (event: object) => {
      res.write(`data: ${JSON.stringify(event)}\r\n\r\n`);
    };
    if (script.promptBlockReason !== undefined) {
      send(blocked());
      res.end();
      return;
    }
    const stallAt = script.stallAfterChunks ?? Number.POSITIVE_INFINITY;
    const failAt =
      script.fail === undefined ? Number.POSITIVE_INFINITY : (script.failAfterChunks ?? 0);
    for (let i = 0; i < chunks.length; i++) {
      if (i === stallAt) {
        stalled.resolve();
        await Promise.race([resumed.promise, outcome.promise]);
      }
      if (i >= failAt) break;
      await delay(script.chunkDelayMs ?? 0);
      if (clientGone || res.destroyed) return;
      const chunk = chunks[i] ?? '';
      count(chunk);
      const last = i === chunks.length - 1;
      const reason = last && finishReason !== 'SAFETY' ? finishReason : undefined;
      send(envelope({ candidates: [candidate(chunk, reason)] }));
      chunksSent++;
    }
    if (script.fail !== undefined) {
      send(errorBody(script.fail, FAILURE_MESSAGE[script.fail]));
      res.end();
      return;
    }
    if (finishReason === 'SAFETY') send(envelope({ candidates: [candidate(null, 'SAFETY')] }));
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A fixture bug must fail the test that hit it, not hang it.
      if (!res.headersSent) sendJson(res, 500, errorBody(500, String(error)));
      else res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fixture has no TCP port');

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      const done = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await done;
    })();
    return closed;
  };

  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    apiKey,
    requests,
    script: (model, script) => {
      scripts.set(model, script);
    },
    scriptDefault: (script) => {
      defaultScript = script;
    },
    request: (index) => arrival(index).promise,
    close,
    [Symbol.asyncDispose]: close,
  };
}
