import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ModeResult } from './result.ts';

/** One point of the chart: a latency percentile of one step. */
interface Point {
  readonly mode: string;
  readonly rate: number;
  readonly percentile: string;
  readonly ms: number;
}

const PERCENTILES = ['p50', 'p90', 'p99', 'max'] as const;

/** The chart's data: each mode's delivery steps (latency and throughput) by offered rate. */
export function latencyPoints(modes: readonly ModeResult[]): Point[] {
  return modes.flatMap((result) =>
    (result.delivery?.steps ?? [])
      .filter((step) => step.latency.count > 0)
      .flatMap((step) =>
        PERCENTILES.map((percentile) => ({
          mode: result.mode,
          rate: step.offeredRate,
          percentile,
          // A log scale cannot show zero.
          ms: Math.max(step.latency[percentile], 0.01),
        })),
      ),
  );
}

/** The Vega-Lite spec: latency percentiles against offered rate, one panel per mode. */
export function latencySpec(points: readonly Point[], title: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: 'send → each subscriber, ms (log scale); dashed: 50 ms p99 target',
    },
    data: { values: [...points] },
    facet: { column: { field: 'mode', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 220,
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'rate', type: 'quantitative', title: 'offered messages/s' },
            y: {
              field: 'ms',
              type: 'quantitative',
              scale: { type: 'log' },
              title: 'delivery latency (ms)',
            },
            color: {
              field: 'percentile',
              type: 'nominal',
              sort: [...PERCENTILES],
              title: 'percentile',
            },
            tooltip: [
              { field: 'rate', type: 'quantitative' },
              { field: 'percentile', type: 'nominal' },
              { field: 'ms', type: 'quantitative' },
            ],
          },
        },
        {
          mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
          encoding: { y: { datum: 50 } },
        },
      ],
    },
  };
}

/** Renders the latency chart to an SVG string with Vega (no browser, no canvas). */
export async function renderLatencyChart(
  modes: readonly ModeResult[],
  title: string,
): Promise<string> {
  const points = latencyPoints(modes);
  const compiled = compile(latencySpec(points, title)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
