import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import type { HostLink } from '../load/host-link.ts';
import { mapConcurrent } from '../load/pool.ts';
import { round, Samples, type Summary } from '../stats.ts';
import { sampleDeliveryFrame } from './sample-delivery.ts';

/** Raw transport figures: what `ws` and `node:http` cost with nothing on top. */
export interface TransportBaseline {
  /** WebSocket echo round trip of a delivery-sized frame, ms. */
  readonly wsEcho: Summary;
  /** HTTP POST round trip of a sendMessage-sized body on a keep-alive socket, ms. */
  readonly httpRoundTrip: Summary;
  /** Server-to-many-sockets frames per second, each parsed by its receiver. */
  readonly broadcast: { readonly sockets: number; readonly deliveriesPerSecond: number };
  /** Heap and RSS per idle raw `ws` connection on the server, bytes (null when skipped). */
  readonly idleConnection: {
    readonly connections: number;
    readonly heapPerConnection: number;
    readonly rssPerConnection: number;
  } | null;
}

export interface TransportParams {
  readonly url: string;
  readonly roundTrips: number;
  readonly broadcastSockets: number;
  readonly broadcastSeconds: number;
  readonly idleConnections: number;
}

/** Measures the raw transport against the echo server (`echo-server.ts`). */
export async function measureTransport(
  params: TransportParams,
  host: HostLink,
): Promise<TransportBaseline> {
  const wsUrl = params.url.replace(/^http/, 'ws');
  const frame = sampleDeliveryFrame();
  host.progress(`ws echo: ${params.roundTrips} round trips`);
  const wsEcho = await echoRoundTrips(wsUrl, `echo:${frame}`, params.roundTrips);
  host.progress(`http: ${params.roundTrips} round trips`);
  const httpRoundTrip = await httpRoundTrips(params.url, frame, params.roundTrips);
  host.progress(`ws broadcast to ${params.broadcastSockets} sockets`);
  const broadcast = await broadcastRate(
    wsUrl,
    frame,
    params.broadcastSockets,
    params.broadcastSeconds,
  );
  let idleConnection: TransportBaseline['idleConnection'] = null;
  if (params.idleConnections > 0) {
    host.progress(`${params.idleConnections} idle ws connections`);
    idleConnection = await idleCost(wsUrl, params.idleConnections, host);
  }
  return { wsEcho, httpRoundTrip, broadcast, idleConnection };
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function echoRoundTrips(url: string, frame: string, count: number): Promise<Summary> {
  const socket = await openSocket(url);
  const samples = new Samples();
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      socket.once('message', (data: Buffer) => {
        JSON.parse(data.toString().slice('echo:'.length));
        resolve();
      });
      socket.send(frame);
    });
    samples.push(performance.now() - started);
  }
  socket.close();
  return samples.summary();
}

async function httpRoundTrips(url: string, body: string, count: number): Promise<Summary> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples = new Samples();
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const req = request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            JSON.parse(Buffer.concat(chunks).toString());
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    samples.push(performance.now() - started);
  }
  agent.destroy();
  return samples.summary();
}

/** Asks for batches of broadcasts and waits for each to reach every socket. */
async function broadcastRate(url: string, frame: string, sockets: number, seconds: number) {
  const clients = await mapConcurrent(Array.from({ length: sockets }), 50, () => openSocket(url));
  const batch = 50;
  let received = 0;
  let onBatch: (() => void) | null = null;
  let expected = 0;
  for (const client of clients) {
    client.on('message', (data: Buffer) => {
      JSON.parse(data.toString());
      received += 1;
      if (received >= expected) onBatch?.();
    });
  }
  const [control] = clients;
  if (!control) throw new Error('broadcast needs at least one socket');
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    expected += batch * sockets;
    await new Promise<void>((resolve) => {
      onBatch = resolve;
      control.send(`broadcast:${batch}:${frame}`);
    });
  }
  const elapsed = (performance.now() - started) / 1000;
  for (const client of clients) client.close();
  return { sockets, deliveriesPerSecond: round(received / elapsed, 0) };
}

async function idleCost(url: string, connections: number, host: HostLink) {
  const before = await host.ask({ kind: 'serverStats', instance: 0, gc: true });
  const clients = await mapConcurrent(Array.from({ length: connections }), 100, () =>
    openSocket(url),
  );
  const after = await host.ask({ kind: 'serverStats', instance: 0, gc: true });
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          client.once('close', () => resolve());
          client.close();
        }),
    ),
  );
  return {
    connections,
    heapPerConnection: round((after.heapUsed - before.heapUsed) / connections, 0),
    rssPerConnection: round((after.rss - before.rss) / connections, 0),
  };
}
