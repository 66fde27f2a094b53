/**
 * The transport baseline server, run as its own process like the API: raw `ws` and
 * `node:http` with no GraphQL, no auth and no storage.
 * - WebSocket text `echo:…` comes back as is (round trip);
 * - `broadcast:<count>:<payload>` sends the payload `count` times to every connected socket;
 * - HTTP POST answers with the request body.
 * Listens on PORT and prints `listening <port>` once ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(Buffer.concat(chunks));
  });
});
const wss = new WebSocketServer({ server });
wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    const text = data.toString();
    if (text.startsWith('echo:')) {
      socket.send(data, { binary: isBinary });
      return;
    }
    const match = /^broadcast:(\d+):([\s\S]*)$/.exec(text);
    if (!match) return;
    const count = Number(match[1]);
    const payload = match[2] ?? '';
    for (let index = 0; index < count; index += 1) {
      for (const client of wss.clients) client.send(payload);
    }
  });
});
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.close(() => process.exit(0));
  });
}
