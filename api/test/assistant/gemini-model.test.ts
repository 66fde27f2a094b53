import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GeminiBlockedError } from '../../src/adapters/gemini/errors.ts';
import { createGeminiModel } from '../../src/adapters/gemini/gemini-model.ts';
import {
  type AssistantModel,
  AssistantModelError,
  type ModelChunk,
  type ModelRequest,
} from '../../src/ports/assistant-model.ts';
import { type GeminiFixture, startGeminiFixture } from '../support/gemini-fixture.ts';

let fixture: GeminiFixture;

beforeEach(async () => {
  fixture = await startGeminiFixture();
});

afterEach(async () => {
  await fixture.close();
});

function model(fallbackModels: readonly string[] = []): AssistantModel {
  return createGeminiModel({
    apiKey: fixture.apiKey,
    model: 'primary',
    fallbackModels,
    baseUrl: fixture.baseUrl,
  });
}

function request(signal = new AbortController().signal): ModelRequest {
  return {
    systemInstruction: 'You are Parley, a helpful assistant.',
    turns: [
      { role: 'user', text: 'Ana: hi' },
      { role: 'model', text: 'Hello Ana.' },
      { role: 'user', text: 'Ana: what is 2+2?' },
    ],
    signal,
  };
}

async function collect(stream: AsyncIterable<ModelChunk>): Promise<ModelChunk[]> {
  const chunks: ModelChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function texts(chunks: readonly ModelChunk[]): string[] {
  return chunks.flatMap((chunk) => (chunk.type === 'text' ? [chunk.text] : []));
}

describe('Gemini adapter against the fixture, through @google/genai', () => {
  it('streams the text in order, with the running usage, and sends the real request shape', async () => {
    fixture.script('primary', {
      chunks: ['Two', ' plus two', ' is four.'],
      promptTokens: 20,
      tokensPerChunk: 5,
    });

    const chunks = await collect(model().stream(request()));

    expect(texts(chunks)).toEqual(['Two', ' plus two', ' is four.']);
    const usage = chunks.flatMap((chunk) => (chunk.type === 'usage' ? [chunk.totalTokens] : []));
    expect(usage).toEqual([25, 30, 35]);
    const [sent] = fixture.requests;
    expect(sent?.model).toBe('primary');
    expect(sent?.method).toBe('streamGenerateContent');
    expect(sent?.apiKey).toBe(fixture.apiKey);
    expect(sent?.body.systemInstruction?.parts).toEqual([
      { text: 'You are Parley, a helpful assistant.' },
    ]);
    expect(sent?.body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Ana: hi' }] },
      { role: 'model', parts: [{ text: 'Hello Ana.' }] },
      { role: 'user', parts: [{ text: 'Ana: what is 2+2?' }] },
    ]);
  });

  it('falls back to the next model on 429, then on 5xx, before any text', async () => {
    fixture.script('primary', { fail: 429 });
    fixture.script('second', { fail: 503 });
    fixture.script('third', { chunks: ['from third'] });

    const chunks = await collect(model(['second', 'third']).stream(request()));

    expect(texts(chunks)).toEqual(['from third']);
    expect(fixture.requests.map((sent) => sent.model)).toEqual(['primary', 'second', 'third']);
  });

  it('does not fall back once text was streamed, and fails readably', async () => {
    fixture.script('primary', { chunks: ['partial', ' more'], fail: 500, failAfterChunks: 1 });
    const seen: string[] = [];

    const run = async () => {
      for await (const chunk of model(['second']).stream(request())) {
        if (chunk.type === 'text') seen.push(chunk.text);
      }
    };

    const error = await run().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AssistantModelError);
    expect(error).toMatchObject({
      message:
        'Gemini primary failed with 500 INTERNAL: An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
    });
    expect(seen).toEqual(['partial']);
    expect(fixture.requests.map((sent) => sent.model)).toEqual(['primary']);
  });

  it('fails with a readable error naming the status when every model is over quota', async () => {
    fixture.script('primary', { fail: 429 });
    fixture.script('second', { fail: 429 });

    const error = await collect(model(['second']).stream(request())).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AssistantModelError);
    expect(error).toMatchObject({
      message: expect.stringMatching(
        /^Gemini second failed with 429 RESOURCE_EXHAUSTED: You exceeded your current quota/,
      ),
    });
  });

  it('closes the upstream connection when the caller aborts', async () => {
    fixture.script('primary', { chunks: ['first', 'never sent'], stallAfterChunks: 1 });
    const abort = new AbortController();
    const iterator = model().stream(request(abort.signal))[Symbol.asyncIterator]();

    const first = await iterator.next();
    expect(first.value).toEqual({ type: 'text', text: 'first' });
    const upstream = await fixture.request(0);
    await upstream.stalled;
    abort.abort();

    const drain = async () => {
      while (!(await iterator.next()).done) {}
    };
    await expect(drain()).rejects.toThrow();
    expect(await upstream.outcome).toBe('client-closed');
    expect(upstream.chunksSent()).toBe(1);
  });

  it('closes the upstream connection when the consumer stops iterating', async () => {
    fixture.script('primary', { chunks: ['first', 'never sent'], stallAfterChunks: 1 });

    for await (const chunk of model().stream(request())) {
      expect(chunk).toEqual({ type: 'text', text: 'first' });
      break;
    }

    expect(await (await fixture.request(0)).outcome).toBe('client-closed');
  });

  it('throws GeminiBlockedError for a blocked prompt', async () => {
    fixture.script('primary', { promptBlockReason: 'PROHIBITED_CONTENT' });

    const error = await collect(model(['second']).stream(request())).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GeminiBlockedError);
    expect(error).toMatchObject({ stage: 'prompt', reason: 'PROHIBITED_CONTENT' });
    expect(error).toMatchObject({ message: 'Gemini blocked the prompt (PROHIBITED_CONTENT)' });
    expect(fixture.requests).toHaveLength(1);
  });

  it('throws GeminiBlockedError when the reply stops for safety', async () => {
    fixture.script('primary', { chunks: ['Sure, here'], finishReason: 'SAFETY' });
    const seen: string[] = [];

    const run = async () => {
      for await (const chunk of model().stream(request())) {
        if (chunk.type === 'text') seen.push(chunk.text);
      }
    };

    await expect(run()).rejects.toThrow('Gemini stopped the reply (SAFETY)');
    expect(seen).toEqual(['Sure, here']);
  });

  it('reports an unreachable endpoint readably', async () => {
    const baseUrl = fixture.baseUrl;
    await fixture.close();
    const unreachable = createGeminiModel({
      apiKey: 'k',
      model: 'primary',
      fallbackModels: [],
      baseUrl,
    });

    await expect(collect(unreachable.stream(request()))).rejects.toThrow(
      /^could not reach Gemini primary \(ECONNREFUSED\)$/,
    );
  });
});
