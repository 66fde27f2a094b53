/**
 * Preloaded into processes under test (`node --expose-gc --import ./bench/host/probe.ts …`):
 * answers the bench's requests on the IPC channel with the process's memory, CPU time and
 * event-loop delay. It adds no endpoint to the API and does nothing without an IPC channel.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ProbeReply, ProbeRequest } from '../protocol.ts';

function isProbeRequest(message: unknown): message is ProbeRequest {
  return (
    typeof message === 'object' &&
    message !== null &&
    'type' in message &&
    message.type === 'parley-bench-probe'
  );
}

/** Starts answering probe requests; returns false when the process has no IPC channel. */
export function startProbe(): boolean {
  const send = process.send?.bind(process);
  if (!send) return false;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  process.on('message', (message: unknown) => {
    if (!isProbeRequest(message)) return;
    if (message.gc && globalThis.gc) {
      // Twice: the first pass may only queue finalizers that free more on the second.
      globalThis.gc();
      globalThis.gc();
    }
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const ms = (nanoseconds: number) => nanoseconds / 1e6;
    const reply: ProbeReply = {
      type: 'parley-bench-probe',
      id: message.id,
      stats: {
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heapTotal: memory.heapTotal,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
        cpuMicros: cpu.user + cpu.system,
        eventLoopDelay: {
          p50: ms(delay.percentile(50)),
          p99: ms(delay.percentile(99)),
          max: ms(delay.max),
        },
      },
    };
    delay.reset();
    send(reply);
  });
  // The channel must not keep the process alive on its own; the server does that.
  process.channel?.unref();
  return true;
}

startProbe();
