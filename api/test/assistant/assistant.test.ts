import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import type { Message } from '../../src/domain/model.ts';
import { AssistantService } from '../../src/services/assistant/assistant-service.ts';
import { NOT_CONFIGURED } from '../../src/services/assistant/options.ts';
import { SafeCache } from '../../src/services/cache-reads.ts';
import type { Logger } from '../../src/services/logger.ts';
import { type GeminiFixture, startGeminiFixture } from '../support/gemini-fixture.ts';
import {
  errorCodes,
  sendMessage,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
} from '../support/server.ts';
import {
  cancelReply,
  expectGrowing,
  history,
  type MessageEvent,
  startAssistantServer,
  watch,
} from './harness.ts';

/** The assistant settings every test server runs with (the defaults). */
const defaults = loadConfig({}).assistant;

let fixture: GeminiFixture;
let dataDir: string;
const servers: TestServer[] = [];

beforeEach(async () => {
  fixture = await startGeminiFixture();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-assistant-test-'));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await fixture.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The app on this test's data directory, so a restart reads what the first one stored. */
async function start(env: Record<string, string> = {}): Promise<TestServer> {
  const server = await startAssistantServer(fixture, env, dataDir);
  servers.push(server);
  return server;
}

/** Stops the app (flushing the log into the store) and starts it again on the same data. */
async function restart(server: TestServer, env: Record<string, string> = {}): Promise<TestServer> {
  await server.close();
  return start(env);
}

async function createGroup(
  server: TestServer,
  owner: TestUser,
  title: string,
  others: readonly TestUser[],
): Promise<string> {
  const result = await server.gql<{ createGroupConversation: { id: string } }>(
    'mutation ($input: CreateGroupInput!) { createGroupConversation(input: $input) { id } }',
    { input: { title, memberIds: others.map((user) => user.id) } },
    owner.accessToken,
  );
  const id = result.data?.createGroupConversation.id;
  if (!id) throw new Error(`createGroupConversation failed: ${JSON.stringify(result.errors)}`);
  return id;
}

function replyEvents(events: readonly MessageEvent[]): MessageEvent[] {
  return events.filter((event) => event.message.kind === 'ASSISTANT');
}

/** Two members of a group (and an outsider) on a started server. */
async function group(server: TestServer) {
  const ana = await signUp(server, 'Ana');
  const ben = await signUp(server, 'Ben');
  const outsider = await signUp(server, 'Cy');
  const conversationId = await createGroup(server, ana, 'Trip', [ben]);
  return { ana, ben, outsider, conversationId };
}

describe('assistant replies, end to end against the Gemini fixture', () => {
  it('streams to every member with ordered, growing updates, then stores the COMPLETE text', async () => {
    let server = await start();
    const { ana, ben, conversationId } = await group(server);
    fixture.script('primary', {
      chunks: ['Two', ' plus two', ' is', ' four.'],
      stallAfterChunks: 1,
      chunkDelayMs: 20,
    });
    const anaView = await watch(server, ana, conversationId);
    const benView = await watch(server, ben, conversationId);

    const prompt = await sendMessage(server, ana, conversationId, '/ai what is 2+2?');
    const upstream = await fixture.request(0);
    await upstream.stalled;
    // One update is certain while the model is held after its first chunk.
    const isFirstUpdate = (event: MessageEvent) =>
      event.type === 'MessageUpdated' && event.message.body === 'Two';
    const anaEarly = await anaView.until(isFirstUpdate);
    const benEarly = await benView.until(isFirstUpdate);
    upstream.resume();
    const anaEvents = replyEvents([...anaEarly, ...(await anaView.untilSettled())]);
    const benEvents = replyEvents([...benEarly, ...(await benView.untilSettled())]);

    expect(benEvents).toEqual(anaEvents);
    const [added, ...updates] = anaEvents;
    expect(added?.type).toBe('MessageAdded');
    expect(added?.message).toMatchObject({
      kind: 'ASSISTANT',
      status: 'STREAMING',
      body: '',
      error: null,
      sender: { id: 'assistant', name: 'Parley Assistant' },
    });
    expect(added?.message.seq).toBeGreaterThan(prompt.seq);
    const final = updates.at(-1);
    expect(final?.message).toMatchObject({
      id: added?.message.id,
      status: 'COMPLETE',
      body: 'Two plus two is four.',
      error: null,
    });
    const streaming = updates.slice(0, -1);
    expect(streaming.every((event) => event.message.status === 'STREAMING')).toBe(true);
    expect(streaming.every((event) => event.type === 'MessageUpdated')).toBe(true);
    expectGrowing(streaming.map((event) => event.message.body));
    expect(final?.message.body.startsWith(streaming.at(-1)?.message.body ?? '')).toBe(true);

    // The model saw the system instruction with the members, and the named history.
    const system = upstream.body.systemInstruction?.parts.map((part) => part.text).join('');
    expect(system).toContain('You are Parley Assistant');
    expect(system).toContain('a group chat called "Trip" with: Ana, Ben');
    expect(upstream.body.contents).toEqual([
      {
        role: 'user',
        parts: [{ text: 'Ana: Ana is watching\nBen: Ben is watching\nAna: /ai what is 2+2?' }],
      },
    ]);

    server = await restart(server);
    const stored = (await history(server, ben, conversationId)).at(-1);
    expect(stored).toMatchObject({
      id: added?.message.id,
      kind: 'ASSISTANT',
      status: 'COMPLETE',
      body: 'Two plus two is four.',
    });
  });

  it('lets any member cancel: the upstream request closes and the partial text is stored CANCELLED', async () => {
    let server = await start();
    const { ana, ben, outsider, conversationId } = await group(server);
    fixture.script('primary', { chunks: ['Once', ' upon', ' a time'], stallAfterChunks: 2 });
    const benView = await watch(server, ben, conversationId);

    await sendMessage(server, ana, conversationId, '/ai tell me a story');
    const upstream = await fixture.request(0);
    const [streamingUpdate] = (
      await benView.until((event) => event.message.body === 'Once upon')
    ).slice(-1);
    const replyId = streamingUpdate?.message.id ?? '';

    expect(errorCodes(await cancelReply(server, outsider, replyId))).toEqual(['FORBIDDEN']);
    const cancelled = await cancelReply(server, ben, replyId);

    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data?.cancelAssistantReply).toMatchObject({
      id: replyId,
      status: 'CANCELLED',
      body: 'Once upon',
      error: null,
    });
    expect(await upstream.outcome).toBe('client-closed');
    expect(upstream.chunksSent()).toBe(2);
    const settled = (await benView.untilSettled()).at(-1);
    expect(settled?.message).toMatchObject({ status: 'CANCELLED', body: 'Once upon' });
    // Cancelling a reply that is over returns it unchanged.
    const again = await cancelReply(server, ana, replyId);
    expect(again.data?.cancelAssistantReply).toMatchObject({ status: 'CANCELLED' });

    server = await restart(server);
    const stored = (await history(server, ana, conversationId)).at(-1);
    expect(stored).toMatchObject({ id: replyId, status: 'CANCELLED', body: 'Once upon' });
  });

  it('routes a cancel through the event bus to the instance streaming the reply', async () => {
    const server = await start();
    const { ana, ben, outsider, conversationId } = await group(server);
    fixture.script('primary', { chunks: ['Partial', ' rest'], stallAfterChunks: 1 });
    const benView = await watch(server, ben, conversationId);
    await sendMessage(server, ana, conversationId, '/ai go');
    const upstream = await fixture.request(0);
    const [update] = (await benView.until((event) => event.message.body === 'Partial')).slice(-1);
    const replyId = update?.message.id ?? '';

    // A second service on the same adapters stands in for another API instance: it does
    // not stream the reply, so it must ask the one that does.
    const { adapters } = server.app.core;
    const problems: unknown[] = [];
    const logger: Logger = {
      info: () => undefined,
      warn: (obj) => problems.push(obj),
      error: (obj) => problems.push(obj),
    };
    const elsewhere = new AssistantService(
      adapters,
      new SafeCache(adapters.cache, logger),
      logger,
      {
        ...defaults,
        cancelWaitMs: 10_000,
      },
    );

    await expect(elsewhere.cancel(outsider.id, replyId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const cancelled: Message = await elsewhere.cancel(ben.id, replyId);

    expect(cancelled).toMatchObject({ id: replyId, status: 'CANCELLED', body: 'Partial' });
    expect(await upstream.outcome).toBe('client-closed');
    expect(problems).toEqual([]);
  });

  it('falls back to the next model when the first answers 429', async () => {
    const server = await start({ GEMINI_FALLBACK_MODELS: 'backup, spare' });
    const { ana, ben, conversationId } = await group(server);
    fixture.script('primary', { fail: 429 });
    fixture.script('backup', { chunks: ['from', ' backup'] });
    const benView = await watch(server, ben, conversationId);

    await sendMessage(server, ana, conversationId, '/ai hello');
    const settled = (await benView.untilSettled()).at(-1);

    expect(settled?.message).toMatchObject({ status: 'COMPLETE', body: 'from backup' });
    expect(fixture.requests.map((request) => request.model)).toEqual(['primary', 'backup']);
  });

  it('fails a reply whose model stops responding after the idle timeout, closing the request', async () => {
    const server = await start({ ASSISTANT_IDLE_TIMEOUT_MS: '300' });
    const { ana, ben, conversationId } = await group(server);
    fixture.script('primary', { chunks: ['Thinking', ' hard'], stallAfterChunks: 1 });
    const benView = await watch(server, ben, conversationId);

    await sendMessage(server, ana, conversationId, '/ai think');
    const settled = (await benView.untilSettled()).at(-1);

    expect(settled?.message).toMatchObject({
      status: 'FAILED',
      body: 'Thinking',
      error: 'the assistant timed out (no response for 0.3 s)',
    });
    expect(await (await fixture.request(0)).outcome).toBe('client-closed');
  });

  it('ends a blocked response FAILED with a readable reason', async () => {
    const server = await start();
    const { ana, ben, conversationId } = await group(server);
    fixture.script('primary', { promptBlockReason: 'SAFETY' });
    const benView = await watch(server, ben, conversationId);

    await sendMessage(server, ana, conversationId, '/ai something dangerous');
    const settled = (await benView.untilSettled()).at(-1);

    expect(settled?.message).toMatchObject({
      status: 'FAILED',
      body: '',
      error: 'Gemini blocked the prompt (SAFETY)',
    });
  });

  it('refuses /ai with RATE_LIMITED once the daily token budget is spent, per user', async () => {
    const server = await start({ ASSISTANT_DAILY_TOKEN_BUDGET: '100' });
    const { ana, ben, conversationId } = await group(server);
    // 90 prompt tokens + 10 for the one chunk: exactly the budget.
    fixture.script('primary', { chunks: ['ok'], promptTokens: 90, tokensPerChunk: 10 });
    const benView = await watch(server, ben, conversationId);

    await sendMessage(server, ana, conversationId, '/ai first');
    await benView.untilSettled();
    const refused = await server.gql(
      'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
      { input: { conversationId, body: '/ai second', clientId: 'second' } },
      ana.accessToken,
    );

    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.errors?.[0]?.extensions?.['retryAfter']).toBeGreaterThan(0);
    expect(fixture.requests).toHaveLength(1);
    const bodies = (await history(server, ana, conversationId)).map((message) => message.body);
    expect(bodies).not.toContain('/ai second');
    // Ordinary messages, and other users' prompts, are unaffected.
    await sendMessage(server, ana, conversationId, 'plain message');
    await sendMessage(server, ben, conversationId, '/ai my turn');
    expect((await benView.untilSettled()).at(-1)?.message.status).toBe('COMPLETE');
  });

  it('starts one reply for concurrent retries of one /ai send', async () => {
    const server = await start();
    const { ana, ben, conversationId } = await group(server);
    fixture.script('primary', { chunks: ['only once'] });
    const benView = await watch(server, ben, conversationId);
    const send = () =>
      server.gql<{ sendMessage: { id: string } }>(
        'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
        { input: { conversationId, body: '/ai once please', clientId: 'same-prompt' } },
        ana.accessToken,
      );

    const results = await Promise.all([send(), send(), send()]);
    await benView.untilSettled();

    expect(new Set(results.map((result) => result.data?.sendMessage.id)).size).toBe(1);
    const replies = (await history(server, ana, conversationId)).filter(
      (message) => message.kind === 'ASSISTANT',
    );
    expect(replies.map((reply) => reply.body)).toEqual(['only once']);
    expect(fixture.requests).toHaveLength(1);
  });

  it('limits /ai prompts per user with RATE_LIMITED', async () => {
    const server = await start({ ASSISTANT_RATE_LIMIT: '1/1h' });
    const { ana, ben, conversationId } = await group(server);
    const benView = await watch(server, ben, conversationId);

    await sendMessage(server, ana, conversationId, '/ai one');
    await benView.untilSettled();
    const refused = await server.gql(
      'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
      { input: { conversationId, body: '/ai two', clientId: 'two' } },
      ana.accessToken,
    );

    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    await sendMessage(server, ana, conversationId, 'not a prompt');
    expect(fixture.requests).toHaveLength(1);
  });

  it('without GEMINI_API_KEY, sends the prompt and fails the reply with the exact reason', async () => {
    const server = await startTestServer({ env: { GEMINI_BASE_URL: fixture.baseUrl } });
    servers.push(server);
    const { ana, ben, conversationId } = await group(server);
    const benView = await watch(server, ben, conversationId);

    const prompt = await sendMessage(server, ana, conversationId, '/ai are you there?');
    const events = await benView.untilSettled();

    expect(events[0]?.message).toMatchObject({ id: prompt.id, kind: 'USER', status: 'SENT' });
    expect(events.at(-1)?.message).toMatchObject({
      kind: 'ASSISTANT',
      status: 'FAILED',
      body: '',
      error: NOT_CONFIGURED,
    });
    expect(NOT_CONFIGURED).toBe('assistant not configured (set GEMINI_API_KEY)');
    expect(fixture.requests).toHaveLength(0);
  });

  it('never delays other messages while a reply is slow, and fails it readably at shutdown', async () => {
    let server = await start();
    const { ana, ben, conversationId } = await group(server);
    // Headers only: the model never sends a token.
    fixture.script('primary', { chunks: ['never'], stallAfterChunks: 0 });
    const benView = await watch(server, ben, conversationId);

    // sendMessage returns although the model has not answered at all.
    await sendMessage(server, ana, conversationId, '/ai take your time');
    await (await fixture.request(0)).stalled;
    const meanwhile = [
      await sendMessage(server, ben, conversationId, 'meanwhile, from Ben'),
      await sendMessage(server, ana, conversationId, 'and from Ana'),
    ];
    const seen = await benView.until((event) => event.message.id === meanwhile[1]?.id);

    expect(seen.map((event) => [event.type, event.message.kind, event.message.status])).toEqual([
      ['MessageAdded', 'USER', 'SENT'],
      ['MessageAdded', 'ASSISTANT', 'STREAMING'],
      ['MessageAdded', 'USER', 'SENT'],
      ['MessageAdded', 'USER', 'SENT'],
    ]);

    server = await restart(server);
    expect(await (await fixture.request(0)).outcome).toBe('client-closed');
    const reply = (await history(server, ana, conversationId)).find(
      (message) => message.kind === 'ASSISTANT',
    );
    expect(reply).toMatchObject({
      status: 'FAILED',
      error: 'the server stopped before the reply finished',
    });
  });

  it('sweeps a STREAMING reply left behind by a crashed instance to FAILED', async () => {
    let server = await start();
    const { ana, ben, conversationId } = await group(server);
    const benView = await watch(server, ben, conversationId);
    const { adapters, services } = server.app.core;
    // What a crashed instance leaves: a reply logged STREAMING and never finalized.
    const now = adapters.clock.now();
    const orphan: Message = {
      id: adapters.ids.next(),
      conversationId,
      seq: await adapters.seq.next(conversationId),
      clientId: null,
      senderId: defaults.userId,
      kind: 'ASSISTANT',
      body: '',
      status: 'STREAMING',
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    await adapters.log.append({ type: 'message.created', message: orphan });

    expect(await services.assistant.sweep()).toBe(0);
    server.clock.advance(defaults.staleAfterMs + 1);
    expect(await services.assistant.sweep()).toBe(1);

    const settled = (await benView.untilSettled()).at(-1);
    expect(settled?.message).toMatchObject({
      id: orphan.id,
      status: 'FAILED',
      error: 'the reply was interrupted (its server stopped)',
    });
    server = await restart(server);
    const stored = (await history(server, ana, conversationId)).at(-1);
    expect(stored).toMatchObject({ id: orphan.id, status: 'FAILED' });
  });
});
