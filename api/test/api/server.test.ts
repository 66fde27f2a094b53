import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  connectRaw,
  openDirect,
  sendMessage,
  signUp,
  startTestServer,
  type TestServer,
} from '../support/server.ts';

describe('server', () => {
  let server: TestServer;

  afterEach(async () => {
    await server.close();
  });

  it('answers /healthz, /readyz, / and GraphiQL over a real port', async () => {
    server = await startTestServer({ env: { WEB_DIST_DIR: '/nonexistent' } });
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const landing = await fetch(`${server.url}/`);
    expect(await landing.text()).toContain('href="/graphql"');
    const graphiql = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('GraphiQL');
  });

  it('serves Prometheus metrics at /metrics', async () => {
    server = await startTestServer({ env: { WEB_DIST_DIR: '/nonexistent' } });
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toMatch(/^# HELP parley_/m);
  });

  it('serves subscriptions over server-sent events too', async () => {
    server = await startTestServer();
    const ann = await signUp(server, 'Ann');
    const ben = await signUp(server, 'Ben');
    const id = await openDirect(server, ann, ben);
    await sendMessage(server, ann, id, 'over sse');
    const response = await server.app.yoga.fetch('http://parley.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${ben.accessToken}`,
      },
      body: JSON.stringify({
        query: `subscription ($id: ID!) { conversationEvents(conversationId: $id, afterSeq: 0) {
          ... on MessageAdded { message { body } } } }`,
        variables: { id },
      }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body?.getReader();
    let text = '';
    while (reader && !text.includes('over sse')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader?.cancel();
    expect(text).toContain('"body":"over sse"');
  });

  it('reports not ready once the store is gone', async () => {
    server = await startTestServer();
    await server.app.core.adapters.store.close();
    const ready = await server.app.yoga.fetch('http://parley.test/readyz');
    expect(ready.status).toBe(503);
  });

  it('shuts down gracefully: sockets close with 1001 and sends already acknowledged are stored', async () => {
    server = await startTestServer();
    const ann = await signUp(server, 'Ann');
    const { socket } = await connectRaw(server.wsUrl, {
      authorization: `Bearer ${ann.accessToken}`,
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await server.app.stop();
    expect(await closed).toBe(1001);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    expect(socket.readyState).toBe(WebSocket.CLOSED);
  });
});
