import type { BaselineResult } from '../baselines/index.ts';
import type { DeliveryStep } from '../scenarios/delivery.ts';
import type { PersistenceStep } from '../scenarios/persistence.ts';
import type { Summary } from '../stats.ts';
import type { ModeResult, RunResult } from './result.ts';

/** The rate the headline figures and the latency target are read at. */
export const REFERENCE_RATE = 1000;
const DELIVERY_P99_TARGET_MS = 50;
const PERSISTED_RATE_TARGET = 2000;
const PERSISTENCE_P99_TARGET_MS = 1000;
const HEAP_PER_CONNECTION_TARGET_KB = 20;

type Row = readonly (string | number)[];

function table(header: Row, rows: readonly Row[]): string {
  if (rows.length === 0) return '_Nothing measured for this table in this run._';
  const line = (cells: Row) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const ms = (value: number) =>
  value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2);
/** Parley ÷ baseline, to two significant digits (0.027×, 1.4×, 190×). */
const ratio = (parley: number, baseline: number) => {
  if (!(baseline > 0 && parley > 0)) return 'n/a';
  const value = parley / baseline;
  return `${value >= 100 ? value.toFixed(0) : Number(value.toPrecision(2)).toString()}×`;
};
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const errorsOf = (errors: Readonly<Record<string, number>>) => {
  const entries = Object.entries(errors);
  return entries.length === 0 ? '0' : entries.map(([code, n]) => `${code}: ${n}`).join(', ');
};

/** The latency step at the reference rate, else the highest latency step measured. */
export function referenceStep(result: ModeResult): DeliveryStep | null {
  const steps = (result.delivery?.steps ?? []).filter((step) => step.phase === 'latency');
  return steps.find((step) => step.offeredRate === REFERENCE_RATE) ?? steps.at(-1) ?? null;
}

/** The highest persistence step within the lag target and without errors. */
export function sustainedPersisted(steps: readonly PersistenceStep[]): PersistenceStep | null {
  const passing = steps.filter(
    (step) =>
      step.lag.p99 < PERSISTENCE_P99_TARGET_MS &&
      Object.keys(step.sendErrors).length === 0 &&
      step.unseen === 0 &&
      step.achievedRate >= step.offeredRate * 0.95,
  );
  return passing.at(-1) ?? null;
}

/** Parley's figures against the same-run baselines. */
function ratioRows(run: RunResult): Row[] {
  const base = run.baselines;
  const rows: Row[] = [];
  for (const mode of run.modes) {
    const step = referenceStep(mode);
    const fanOut = mode.delivery?.subscribers ?? 0;
    if (step && base) {
      const at = `${step.offeredRate} msg/s, fan-out ${fanOut}`;
      const hop =
        mode.mode === 'embedded'
          ? base.transport.wsEcho
          : sumOf(base.transport.wsEcho, base.services?.redisHop);
      const hopName = mode.mode === 'embedded' ? 'ws echo round trip' : 'ws echo + Redis hop';
      rows.push([
        `Delivery p50 (${at})`,
        mode.mode,
        `${ms(step.latency.p50)} ms`,
        `${hopName} p50 ${ms(hop.p50)} ms`,
        ratio(step.latency.p50, hop.p50),
      ]);
      rows.push([
        `Delivery p99 (${at})`,
        mode.mode,
        `${ms(step.latency.p99)} ms`,
        `${hopName} p99 ${ms(hop.p99)} ms`,
        ratio(step.latency.p99, hop.p99),
      ]);
      rows.push([
        `sendMessage round trip p50 (${at})`,
        mode.mode,
        `${ms(step.ack.p50)} ms`,
        `HTTP round trip p50 ${ms(base.transport.httpRoundTrip.p50)} ms`,
        ratio(step.ack.p50, base.transport.httpRoundTrip.p50),
      ]);
    }
    const best = mode.delivery?.throughput?.best;
    if (best && base) {
      rows.push([
        `Max sustained deliveries/s (p99 ≤ 100 ms)`,
        mode.mode,
        count(best.deliveriesPerSecond),
        `raw ws broadcast ${count(base.transport.broadcast.deliveriesPerSecond)}/s`,
        ratio(best.deliveriesPerSecond, base.transport.broadcast.deliveriesPerSecond),
      ]);
      rows.push([
        `Max sustained deliveries/s`,
        mode.mode,
        count(best.deliveriesPerSecond),
        `graphql.execute + stringify on one core ${count(base.execute.deliveriesPerCoreSecond)}/s`,
        ratio(best.deliveriesPerSecond, base.execute.deliveriesPerCoreSecond),
      ]);
    }
    const persisted = mode.persistence ? sustainedPersisted(mode.persistence.steps) : null;
    const services = base?.services;
    if (mode.persistence && services) {
      const reference = persisted ?? mode.persistence.steps.at(-1);
      if (reference) {
        const floor = services.kafkaProduce.p50 + services.mongoInsertMany.p50;
        rows.push([
          `Persistence lag p50 (${reference.offeredRate} msg/s)`,
          mode.mode,
          `${ms(reference.lag.p50)} ms`,
          `Kafka produce p50 + insertMany(${services.mongoBatch}) p50 ${ms(floor)} ms`,
          ratio(reference.lag.p50, floor),
        ]);
      }
      const limit = Math.min(services.kafkaBatchRecordsPerSecond, services.mongoDocsPerSecond);
      rows.push([
        `Sustained persisted msg/s (lag p99 < 1 s)`,
        mode.mode,
        persisted ? count(persisted.achievedRate) : 'none',
        `min(Kafka ${count(services.kafkaBatchRecordsPerSecond)}/s, insertMany ${count(services.mongoDocsPerSecond)}/s)`,
        persisted ? ratio(persisted.achievedRate, limit) : 'n/a',
      ]);
    }
    const history = mode.history;
    if (history && base) {
      rows.push([
        `History messages(last: ${history.pageSize}) from cache p50`,
        mode.mode,
        `${ms(history.cache.p50)} ms`,
        `HTTP round trip p50 ${ms(base.transport.httpRoundTrip.p50)} ms`,
        ratio(history.cache.p50, base.transport.httpRoundTrip.p50),
      ]);
      rows.push([
        `History messages(last: ${history.pageSize}) from store p50`,
        mode.mode,
        `${ms(history.store.p50)} ms`,
        `the same read from cache ${ms(history.cache.p50)} ms`,
        ratio(history.store.p50, history.cache.p50),
      ]);
    }
    const top = mode.connections?.levels.at(-1);
    const idle = base?.transport.idleConnection;
    if (top && idle) {
      rows.push([
        `Heap per idle subscribed connection (${count(top.connections)})`,
        mode.mode,
        `${top.heapPerConnectionKb.toFixed(1)} KB`,
        `raw ws idle connection ${(idle.heapPerConnection / 1024).toFixed(1)} KB`,
        ratio(top.heapPerConnectionKb, idle.heapPerConnection / 1024),
      ]);
    }
  }
  return rows;
}

function sumOf(a: Summary, b: Summary | undefined): Summary {
  if (!b) return a;
  return {
    count: a.count,
    p50: a.p50 + b.p50,
    p90: a.p90 + b.p90,
    p99: a.p99 + b.p99,
    max: a.max + b.max,
    mean: a.mean + b.mean,
  };
}

function targetRows(run: RunResult): Row[] {
  const rows: Row[] = [];
  for (const mode of run.modes) {
    const step = (mode.delivery?.steps ?? []).find(
      (candidate) => candidate.phase === 'latency' && candidate.offeredRate === REFERENCE_RATE,
    );
    if (mode.delivery) {
      const fanOut = mode.delivery.subscribers;
      rows.push([
        `Delivery p99 < ${DELIVERY_P99_TARGET_MS} ms at ${REFERENCE_RATE} msg/s, fan-out 10`,
        mode.mode,
        step
          ? `${ms(step.latency.p99)} ms (fan-out ${fanOut}, ${step.achievedRate} msg/s offered)`
          : 'not measured at this rate',
        step && fanOut >= 10
          ? step.latency.p99 < DELIVERY_P99_TARGET_MS && step.counts.missing === 0
            ? 'met'
            : '**missed**'
          : 'n/a',
      ]);
    }
    if (mode.persistence) {
      const persisted = sustainedPersisted(mode.persistence.steps);
      const loss = mode.persistence.lossCheck;
      rows.push([
        `≥ ${PERSISTED_RATE_TARGET} msg/s persisted, lag p99 < 1 s`,
        mode.mode,
        persisted
          ? `${count(persisted.achievedRate)} msg/s (lag p99 ${ms(persisted.lag.p99)} ms)`
          : 'no step within the lag target',
        persisted && persisted.achievedRate >= PERSISTED_RATE_TARGET * 0.95 ? 'met' : '**missed**',
      ]);
      rows.push([
        'Every acknowledged message stored exactly once',
        mode.mode,
        `${count(loss.storedOnce)} of ${count(loss.acknowledged)} (missing ${loss.missing}, duplicates ${loss.duplicates})`,
        loss.missing === 0 && loss.duplicates === 0 && loss.storedOnce === loss.acknowledged
          ? 'met'
          : '**missed**',
      ]);
    }
    const top = mode.connections?.levels.at(-1);
    if (top) {
      rows.push([
        `≤ ${HEAP_PER_CONNECTION_TARGET_KB} KB heap per idle subscribed connection`,
        mode.mode,
        `${top.heapPerConnectionKb.toFixed(1)} KB at ${count(top.connections)}`,
        top.heapPerConnectionKb <= HEAP_PER_CONNECTION_TARGET_KB ? 'met' : '**missed**',
      ]);
    }
  }
  return rows;
}

function deliverySection(mode: ModeResult): string {
  const delivery = mode.delivery;
  if (!delivery) return '';
  const rows = delivery.steps.map((step) => [
    step.phase,
    step.offeredRate,
    step.achievedRate,
    ms(step.latency.p50),
    ms(step.latency.p90),
    ms(step.latency.p99),
    ms(step.latency.max),
    `${ms(step.ack.p50)} / ${ms(step.ack.p99)}`,
    count(step.deliveriesPerSecond),
    step.counts.missing,
    errorsOf(step.counts.sendErrors),
    step.server.cpuPercent.join(' / '),
    step.serverCpuMsPerMessage,
    step.server.eventLoopDelayP99.join(' / '),
    step.loadCpuPercent,
    step.server.machineCpuPercent ?? 'n/a',
    step.backlogSeconds,
  ]);
  const throughput = delivery.throughput;
  const summary = throughput
    ? throughput.best
      ? `Max sustained: **${count(throughput.best.messagesPerSecond)} msg/s = ${count(throughput.best.deliveriesPerSecond)} deliveries/s** (p99 ${ms(throughput.best.p99)} ms). Stopped by ${throughput.stoppedBy}.`
      : `No throughput step was sustained: ${throughput.stoppedBy}.`
    : '';
  return [
    `### ${mode.mode}: delivery (scenarios 1 and 2)`,
    `${delivery.conversations} conversations × ${delivery.subscribers} subscribers (${delivery.sockets} sockets); latency in ms from just before \`sendMessage\` to each subscriber's receipt.`,
    '',
    table(
      [
        'phase',
        'offered msg/s',
        'achieved',
        'p50',
        'p90',
        'p99',
        'max',
        'ack p50 / p99',
        'deliveries/s',
        'missing',
        'send errors',
        'server CPU %',
        'server CPU ms/msg',
        'server loop delay p99 ms',
        'load CPU %',
        'machine CPU %',
        'backlog s',
      ],
      rows,
    ),
    '',
    summary,
    delivery.skippedRates.length > 0
      ? `Not run: ${delivery.skippedRates.join(', ')} msg/s (the server had already fallen far behind at a lower rate).`
      : '',
    delivery.subscriptionErrors > 0
      ? `Subscription errors: ${delivery.subscriptionErrors} (${delivery.errorSamples.join('; ')})`
      : '',
  ].join('\n');
}

function persistenceSection(mode: ModeResult): string {
  const persistence = mode.persistence;
  if (!persistence) return '';
  const loss = persistence.lossCheck;
  return [
    `### ${mode.mode}: persistence lag (scenario 3)`,
    `Sent → first seen in MongoDB by a raw-driver poller every ${persistence.pollMs} ms (so lag includes up to one poll interval).`,
    '',
    table(
      [
        'offered msg/s',
        'achieved',
        'acked',
        'lag p50',
        'p90',
        'p99',
        'max',
        'ack p50 / p99',
        'unseen at end',
        'send errors',
        'server CPU %',
      ],
      persistence.steps.map((step) => [
        step.offeredRate,
        step.achievedRate,
        count(step.acked),
        ms(step.lag.p50),
        ms(step.lag.p90),
        ms(step.lag.p99),
        ms(step.lag.max),
        `${ms(step.ack.p50)} / ${ms(step.ack.p99)}`,
        step.unseen,
        errorsOf(step.sendErrors),
        step.server.cpuPercent.join(' / '),
      ]),
    ),
    '',
    `Loss check: ${count(loss.acknowledged)} acknowledged, ${count(loss.storedOnce)} stored exactly once, ${loss.missing} missing, ${loss.duplicates} duplicates, ${loss.storedUnacknowledged} stored although their send failed (waited ${loss.waitedSeconds} s).`,
  ].join('\n');
}

function connectionSection(mode: ModeResult): string {
  const connections = mode.connections;
  if (!connections) return '';
  return [
    `### ${mode.mode}: connection cost (scenario 4)`,
    `Idle sockets, each authenticated and subscribed to \`conversationEvents\`; memory after a forced GC, relative to ${connections.baseline.heapUsedMb} MB heap / ${connections.baseline.rssMb} MB RSS before the first.`,
    '',
    table(
      [
        'connections',
        'heap KB/conn',
        'RSS KB/conn',
        'external KB/conn',
        'heap MB',
        'RSS MB',
        'idle loop delay p50 / p99 / max ms',
        'idle CPU %',
        'opened in s',
      ],
      connections.levels.map((level) => [
        count(level.connections),
        level.heapPerConnectionKb.toFixed(2),
        level.rssPerConnectionKb.toFixed(2),
        level.externalPerConnectionKb.toFixed(2),
        level.heapUsedMb,
        level.rssMb,
        `${level.eventLoopDelay.p50} / ${level.eventLoopDelay.p99} / ${level.eventLoopDelay.max}`,
        level.idleCpuPercent,
        level.openSeconds,
      ]),
    ),
    connections.errors > 0
      ? `\nErrors: ${connections.errors} (${connections.errorSamples.join('; ')})`
      : '',
  ].join('\n');
}

function historySection(mode: ModeResult): string {
  const history = mode.history;
  if (!history) return '';
  const row = (name: string, s: Summary) => [
    name,
    s.count,
    ms(s.p50),
    ms(s.p90),
    ms(s.p99),
    ms(s.max),
  ];
  return [
    `### ${mode.mode}: history reads (scenario 5)`,
    `\`messages(last: ${history.pageSize})\` over HTTP, one at a time, for ${history.conversations} conversations: first read after a restart (store), then again (cache).`,
    '',
    table(
      ['served from', 'reads', 'p50 ms', 'p90', 'p99', 'max'],
      [row('store (cold)', history.store), row('cache (warm)', history.cache)],
    ),
  ].join('\n');
}

function baselineSection(base: BaselineResult | null): string {
  if (!base) return '';
  const row = (name: string, s: Summary) => [name, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max)];
  const rows = [
    row('ws echo round trip (delivery-sized frame)', base.transport.wsEcho),
    row('HTTP POST round trip (keep-alive)', base.transport.httpRoundTrip),
    row('graphql.execute of the subscription selection', base.execute.execute),
    row('JSON.stringify of the graphql-ws frame', base.execute.serialise),
  ];
  if (base.services) {
    rows.push(row('Redis PUBLISH → subscriber', base.services.redisHop));
    rows.push(row('kafkajs produce 1 record, acks=-1', base.services.kafkaProduce));
    rows.push(
      row(
        `driver insertMany(${base.services.mongoBatch}), ordered:false`,
        base.services.mongoInsertMany,
      ),
    );
  }
  const rates = [
    `raw ws broadcast: ${count(base.transport.broadcast.deliveriesPerSecond)} deliveries/s to ${base.transport.broadcast.sockets} sockets`,
    `execute + stringify: ${count(base.execute.deliveriesPerCoreSecond)} deliveries per core-second`,
  ];
  if (base.transport.idleConnection) {
    const idle = base.transport.idleConnection;
    rates.push(
      `raw ws idle connection: ${(idle.heapPerConnection / 1024).toFixed(1)} KB heap, ${(idle.rssPerConnection / 1024).toFixed(1)} KB RSS each (${count(idle.connections)} sockets)`,
    );
  }
  if (base.services) {
    rates.push(
      `kafkajs acks=-1 batches of ${base.services.kafkaBatch}: ${count(base.services.kafkaBatchRecordsPerSecond)} records/s`,
    );
    rates.push(`driver insertMany: ${count(base.services.mongoDocsPerSecond)} documents/s`);
  }
  return [
    '## Baselines (same run, same machine)',
    '',
    table(['baseline', 'p50 ms', 'p90', 'p99', 'max'], rows),
    '',
    ...rates.map((line) => `- ${line}`),
  ].join('\n');
}

/** The Markdown summary of a run. */
export function renderMarkdown(run: RunResult, chartFile: string | null): string {
  const m = run.machine;
  const parts = [
    `# Parley benchmark ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC${run.quick ? ' (quick smoke run: numbers not meaningful)' : ''}`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, ${m.os}, Node ${m.node}; API, load generator and services all on this box. ` +
      `Load average ${m.loadAverageStart} at the start, ${m.loadAverageEnd} at the end. ` +
      `Commit ${run.git.commit.slice(0, 10)}${run.git.dirty ? ' (with uncommitted changes)' : ''}; ${run.seconds} s.`,
    '',
    '## Parley against its baselines',
    '',
    table(['figure', 'mode', 'Parley', 'baseline', 'ratio'], ratioRows(run)),
    '',
    '## Targets',
    '',
    table(['target', 'mode', 'measured', ''], targetRows(run)),
    '',
    chartFile ? `![Delivery latency percentiles against offered rate](${chartFile})\n` : '',
    '## Scenarios',
    '',
    ...run.modes.flatMap((mode) =>
      [
        deliverySection(mode),
        persistenceSection(mode),
        connectionSection(mode),
        historySection(mode),
      ]
        .filter((section) => section !== '')
        .map((section) => `${section}\n`),
    ),
    baselineSection(run.baselines),
    '',
  ];
  if (run.skipped.length > 0) {
    parts.push('## Skipped', '', ...run.skipped.map((s) => `- ${s.mode}: ${s.reason}`), '');
  }
  if (run.warnings.length > 0) {
    parts.push('## Warnings', '', ...run.warnings.map((warning) => `- ${warning}`), '');
  }
  if (run.errors.length > 0) {
    parts.push(
      '## Errors',
      '',
      ...run.errors.map((e) => `- ${e.scope}: ${e.message.split('\n')[0]}`),
      '',
    );
  }
  return parts.join('\n');
}
