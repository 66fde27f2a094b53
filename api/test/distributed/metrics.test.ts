import { describe, expect, it } from 'vitest';
import { createMemoryEventBus } from '../../src/adapters/memory/event-bus.ts';
import { createMemoryPresenceStore } from '../../src/adapters/memory/presence.ts';
import { createMetricsHandler } from '../../src/metrics/handler.ts';
import { instrumentBus, instrumentPresence } from '../../src/metrics/instrument.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { aMessage, uniqueId } from '../contracts/fixtures.ts';

/** The value of one series in the Prometheus text format, or null when absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  it('times deliveries and counts subscriptions through the instrumented bus', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const bus = instrumentBus(createMemoryEventBus(), metrics);
    const id = uniqueId('conv');
    const stream = await bus.subscribe('conversation:event', id);
    let text = await metrics.registry.metrics();
    expect(sample(text, 'parley_active_subscriptions')).toBe(1);

    const message = aMessage(id, 1, { createdAt: new Date(Date.now() - 50) });
    await bus.publish('conversation:event', id, { type: 'MessageAdded', message });
    await bus.publish('conversation:event', id, {
      type: 'TypingChanged',
      userId: 'u',
      typing: true,
    });
    await stream.next();
    await stream.next();
    await stream.return();
    text = await metrics.registry.metrics();
    expect(sample(text, 'parley_delivery_latency_seconds_count')).toBe(1);
    expect(sample(text, 'parley_delivery_latency_seconds_sum')).toBeGreaterThanOrEqual(0.05);
    expect(sample(text, 'parley_active_subscriptions')).toBe(0);
    await bus.close();
  });

  it('counts sockets through the instrumented presence store', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const presence = instrumentPresence(createMemoryPresenceStore(), metrics);
    await presence.connect('u', 's1');
    await presence.connect('u', 's2');
    await presence.disconnect('u', 's1');
    expect(sample(await metrics.registry.metrics(), 'parley_open_sockets')).toBe(1);
    await presence.close();
  });

  it('serves the registry in the Prometheus text format, with the outbox depth read at scrape', async () => {
    const metrics = createMetrics({ labels: { role: 'test' } });
    let depth = 7;
    metrics.setOutboxDepthSource(async () => depth);
    metrics.observeBatch(12);
    metrics.setConsumerLag(2, 40);
    const handler = createMetricsHandler(metrics.registry);
    const response = await handler(new Request('http://api/metrics'));
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'parley_outbox_depth{role="test"}')).toBe(7);
    expect(sample(text, 'parley_persistence_batch_size_sum{role="test"}')).toBe(12);
    expect(sample(text, 'parley_consumer_lag_records{partition="2",role="test"}')).toBe(40);
    expect(text).toContain('process_cpu_seconds_total');
    depth = 0;
    metrics.setOutboxDepthSource(() => Promise.reject(new Error('Redis is down')));
    const unknown = await (await handler(new Request('http://api/metrics'))).text();
    expect(sample(unknown, 'parley_outbox_depth{role="test"}')).toBeNaN();
    expect((await handler(new Request('http://api/metrics', { method: 'POST' }))).status).toBe(405);
  });
});
