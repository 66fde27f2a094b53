import { ApiError, GoogleGenAI } from '@google/genai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GeminiFixture, startGeminiFixture } from '../support/gemini-fixture.ts';

let fixture: GeminiFixture;

beforeEach(async () => {
  fixture = await startGeminiFixture();
});

afterEach(async () => {
  await fixture.close();
});

function client(apiKey = fixture.apiKey): GoogleGenAI {
  return new GoogleGenAI({ apiKey, httpOptions: { baseUrl: fixture.baseUrl } });
}

describe('Gemini fixture, driven by the real SDK', () => {
  it('answers generateContent with the whole reply and its usage', async () => {
    fixture.script('m', { chunks: ['a', 'b'], promptTokens: 7, tokensPerChunk: 3 });

    const response = await client().models.generateContent({ model: 'm', contents: 'hi' });

    expect(response.text).toBe('ab');
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 7,
      candidatesTokenCount: 6,
      totalTokenCount: 13,
    });
    expect(response.modelVersion).toBe('m');
    expect(fixture.requests[0]?.method).toBe('generateContent');
    expect(await fixture.requests[0]?.outcome).toBe('completed');
  });

  it('fails generateContent with the real error body and status', async () => {
    fixture.script('m', { fail: 503 });

    const error = await client()
      .models.generateContent({ model: 'm', contents: 'hi' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, message: expect.stringContaining('"UNAVAILABLE"') });
  });

  it('rejects a wrong API key like Gemini does', async () => {
    const error = await client('wrong')
      .models.generateContent({ model: 'm', contents: 'hi' })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      status: 400,
      message: expect.stringContaining('API key not valid'),
    });
    expect(fixture.requests).toHaveLength(0);
  });

  it('streams slowly chunk by chunk and records the request', async () => {
    fixture.script('m', { chunks: ['x', 'y', 'z'], chunkDelayMs: 20 });

    const received: string[] = [];
    for await (const chunk of await client().models.generateContentStream({
      model: 'm',
      contents: 'hi',
    })) {
      received.push(chunk.text ?? '');
    }

    expect(received).toEqual(['x', 'y', 'z']);
    const sent = await fixture.request(0);
    expect(sent.chunksSent()).toBe(3);
    expect(sent.body.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }] }]);
  });

  it('holds a stalled stream until the test resumes it', async () => {
    fixture.script('m', { chunks: ['held', ' then', ' released'], stallAfterChunks: 1 });
    const stream = await client().models.generateContentStream({ model: 'm', contents: 'hi' });
    const iterator = stream[Symbol.asyncIterator]();

    expect((await iterator.next()).value?.text).toBe('held');
    const sent = await fixture.request(0);
    await sent.stalled;
    expect(sent.chunksSent()).toBe(1);
    sent.resume();
    const rest: string[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      rest.push(next.value.text ?? '');
    }

    expect(rest).toEqual([' then', ' released']);
    expect(await sent.outcome).toBe('completed');
  });
});
