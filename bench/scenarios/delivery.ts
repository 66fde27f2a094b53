import { DeliveryTracker, type TrackerCounts } from '../load/delivery-tracker.ts';
import { createGroups } from '../load/fixtures.ts';
import type { HostLink } from '../load/host-link.ts';
import { createHttpGql } from '../load/http-client.ts';
import { openLoop } from '../load/open-loop.ts';
import { createSender, pokeUntilLive, type Sender } from '../load/sender.ts';
import { loadCpuMeter, openServerWindow, type ServerUsage } from '../load/server-window.ts';
import { type DeliveryListener, openSubscribers } from '../load/subscribers.ts';
import type { ApiEndpoints } from '../protocol.ts';
import { round, type Summary } from '../stats.ts';

/** Scenarios 1 and 2: delivery latency at fixed rates, then the highest sustainable rate. */
export interface DeliveryParams {
  readonly conversations: number;
  /** Subscribers per conversation: the fan-out of each message. */
  readonly subscribers: number;
  readonly warmup: { readonly rate: number; readonly seconds: number };
  readonly rates: readonly number[];
  readonly stepSeconds: number;
  /** Null: skip scenario 2. */
  readonly throughput: ThroughputParams | null;
  readonly drainTimeoutMs: number;
  readonly maxInFlight: number;
}

/** Scenario 2: raise the rate until p99 passes the limit or errors appear. */
export interface ThroughputParams {
  /** Rates tried upward, above the highest latency step that passed. */
  readonly rates: readonly number[];
  readonly stepSeconds: number;
  readonly p99LimitMs: number;
  /** Steps halving the gap between the best passing and the lowest failing rate. */
  readonly refineSteps: number;
}

/** One rate step. */
export interface DeliveryStep {
  readonly phase: 'latency' | 'throughput';
  readonly offeredRate: number;
  readonly achievedRate: number;
  readonly seconds: number;
  readonly counts: TrackerCounts;
  /** Send to each subscriber's receipt, ms. */
  readonly latency: Summary;
  /** sendMessage round trip (the sender's acknowledgement), ms. */
  readonly ack: Summary;
  readonly deliveriesPerSecond: number;
  /** API CPU time per acknowledged message (all its deliveries included), ms. */
  readonly serverCpuMsPerMessage: number;
  /** Time after the drain timeout until the last send of the step was answered. */
  readonly backlogSeconds: number;
  readonly newSubscriptionErrors: number;
  /** Every acked message reached every subscriber before the drain timeout. */
  readonly settled: boolean;
  readonly server: ServerUsage;
  readonly loadCpuPercent: number;
}

export interface DeliveryResult {
  readonly conversations: number;
  readonly subscribers: number;
  readonly sockets: number;
  readonly setupSeconds: number;
  readonly steps: readonly DeliveryStep[];
  /** Latency rates not run because the server already fell far behind at a lower one. */
  readonly skippedRates: readonly number[];
  /** Scenario 2: the highest step that passed, and why the next one did not. */
  readonly throughput: {
    readonly best: {
      readonly messagesPerSecond: number;
      readonly deliveriesPerSecond: number;
      readonly p99: number;
    } | null;
    readonly stoppedBy: string;
  } | null;
  readonly subscriptionErrors: number;
  readonly errorSamples: readonly string[];
}

/** How long a step may take to work off its backlog before the next step starts anyway. */
const QUIESCE_TIMEOUT_MS = 120_000;

/** Runs scenarios 1 and 2 against the API instances (sends go to the first one). */
export async function runDelivery(
  params: DeliveryParams,
  api: ApiEndpoints,
  host: HostLink,
): Promise<DeliveryResult> {
  const setupStarted = performance.now();
  const [firstUrl] = api.urls;
  if (!firstUrl) throw new Error('no API instance');
  const http = createHttpGql(firstUrl, params.maxInFlight);
  const conversations = await createGroups(http, params.conversations, params.subscribers, 'dl');
  let listener: DeliveryListener | null = null;
  const subscribers = await openSubscribers({
    wsUrls: api.urls.map((url) => `${url.replace(/^http/, 'ws')}/graphql`),
    conversations,
    perConversation: params.subscribers,
    onDelivery: (clientId, at) => listener?.(clientId, at),
  });
  const sender = createSender(http, conversations, params.subscribers);
  try {
    await pokeUntilLive(sender, conversations.length, params.subscribers, (next) => {
      listener = next;
    });
    const setupSeconds = round((performance.now() - setupStarted) / 1000, 1);
    host.progress(
      `${subscribers.count} subscriptions live on ${conversations.length} conversations (${setupSeconds}s)`,
    );

    const step = async (phase: DeliveryStep['phase'], rate: number, seconds: number) => {
      const tracker = new DeliveryTracker(params.subscribers);
      listener = tracker.delivered;
      const result = await measureStep(phase, rate, seconds, {
        params,
        sender,
        tracker,
        host,
        instances: api.urls.length,
        errorsSoFar: () => subscribers.errors,
      });
      listener = null;
      return result;
    };

    host.progress(`warm-up ${params.warmup.rate} msg/s for ${params.warmup.seconds}s`);
    await step('latency', params.warmup.rate, params.warmup.seconds);

    const steps: DeliveryStep[] = [];
    const skippedRates: number[] = [];
    for (const [index, rate] of params.rates.entries()) {
      const saturated = steps.find((earlier) => earlier.achievedRate < earlier.offeredRate / 2);
      if (saturated) {
        // Far past what the server can take: a higher rate only measures a longer queue.
        skippedRates.push(rate);
        continue;
      }
      host.progress(`latency step ${index + 1}/${params.rates.length}: ${rate} msg/s`);
      const result = await step('latency', rate, params.stepSeconds);
      steps.push(result);
      host.progress(describe(result));
    }
    if (skippedRates.length > 0) {
      host.progress(
        `skipped ${skippedRates.join(', ')} msg/s: the server fell far behind below them`,
      );
    }

    const throughput = params.throughput
      ? await searchThroughput(params.throughput, steps, async (rate) => {
          host.progress(`throughput step: ${rate} msg/s`);
          const result = await step('throughput', rate, params.throughput?.stepSeconds ?? 1);
          steps.push(result);
          host.progress(describe(result));
          return result;
        })
      : null;
    return {
      conversations: conversations.length,
      subscribers: params.subscribers,
      sockets: subscribers.count,
      setupSeconds,
      steps,
      skippedRates,
      throughput,
      subscriptionErrors: subscribers.errors,
      errorSamples: subscribers.errorSamples,
    };
  } finally {
    await subscribers.close();
    http.close();
  }
}

interface StepContext {
  readonly params: DeliveryParams;
  readonly sender: Sender;
  readonly tracker: DeliveryTracker;
  readonly host: HostLink;
  readonly instances: number;
  readonly errorsSoFar: () => number;
}

async function measureStep(
  phase: DeliveryStep['phase'],
  rate: number,
  seconds: number,
  context: StepContext,
): Promise<DeliveryStep> {
  const { sender, tracker, params } = context;
  const errorsBefore = context.errorsSoFar();
  const window = await openServerWindow(context.host, context.instances);
  const loadCpu = loadCpuMeter();
  const tag = `${phase}-${rate}-${Date.now().toString(36)}`;
  const run = await openLoop(rate, seconds, params.maxInFlight, async (index) => {
    await sender.send(tracker, index, `${tag}-${index}`);
  });
  const settled = await tracker.settled(params.drainTimeoutMs);
  const loadCpuPercent = loadCpu();
  const server = await window.end();
  const counts = tracker.counts();
  const latency = tracker.latency();
  const ack = tracker.ackLatency();
  // Sends still queued in the server would load the next step: let them finish first.
  const drainStarted = performance.now();
  await tracker.quiet(QUIESCE_TIMEOUT_MS);
  const backlogSeconds = round((performance.now() - drainStarted) / 1000, 1);
  return {
    phase,
    offeredRate: rate,
    achievedRate: round(run.started / Math.max(run.seconds, 1e-3), 1),
    seconds: round(run.seconds, 2),
    counts,
    latency,
    ack,
    deliveriesPerSecond: round(counts.deliveries / Math.max(run.seconds, 1e-3), 0),
    serverCpuMsPerMessage: round(server.cpuMs / Math.max(counts.acked, 1), 3),
    backlogSeconds,
    newSubscriptionErrors: context.errorsSoFar() - errorsBefore,
    settled,
    server,
    loadCpuPercent,
  };
}

/**
 * The highest sustained rate: the best passing latency step, then `rates` upward from it
 * until one fails, then a few steps halving the gap between the best pass and the lowest
 * failure (which may be a latency step already).
 */
async function searchThroughput(
  limits: ThroughputParams,
  latencySteps: readonly DeliveryStep[],
  measure: (rate: number) => Promise<DeliveryStep>,
): Promise<NonNullable<DeliveryResult['throughput']>> {
  const found: { best: DeliveryStep | null; failed: { rate: number; reason: string } | null } = {
    best: null,
    failed: null,
  };
  const record = (step: DeliveryStep) => {
    const reason = stepFailure(step, limits.p99LimitMs);
    if (reason === null) {
      if (!found.best || step.offeredRate > found.best.offeredRate) found.best = step;
    } else if (!found.failed || step.offeredRate < found.failed.rate) {
      found.failed = { rate: step.offeredRate, reason };
    }
  };
  for (const step of latencySteps) record(step);
  if (found.failed === null) {
    const from = found.best?.offeredRate ?? 0;
    for (const rate of limits.rates.filter((candidate) => candidate > from)) {
      record(await measure(rate));
      if (found.failed) break;
    }
  }
  for (let refine = 0; refine < limits.refineSteps; refine += 1) {
    const low = found.best?.offeredRate ?? 0;
    const high = found.failed?.rate;
    if (high === undefined || high - low <= Math.max(25, high * 0.1)) break;
    // Rounded to 25 msg/s so that steps read as the rates they are.
    const middle = Math.max(25, Math.round((low + high) / 2 / 25) * 25);
    if (middle <= low || middle >= high) break;
    record(await measure(middle));
  }
  const { best, failed } = found;
  return {
    best: best
      ? {
          messagesPerSecond: best.achievedRate,
          deliveriesPerSecond: best.deliveriesPerSecond,
          p99: best.latency.p99,
        }
      : null,
    stoppedBy: failed
      ? `${failed.rate} msg/s: ${failed.reason}`
      : `reached the last step (${limits.rates.at(-1)} msg/s) within limits`,
  };
}

/** Why a throughput step does not count as sustained, or null when it does. */
export function stepFailure(step: DeliveryStep, p99LimitMs: number): string | null {
  const errors = Object.values(step.counts.sendErrors).reduce((sum, n) => sum + n, 0);
  if (errors > 0) return `${errors} send errors ${JSON.stringify(step.counts.sendErrors)}`;
  if (step.counts.missing > 0) return `${step.counts.missing} deliveries missing`;
  if (step.newSubscriptionErrors > 0) return `${step.newSubscriptionErrors} subscription errors`;
  if (step.latency.p99 > p99LimitMs) return `p99 ${step.latency.p99} ms > ${p99LimitMs} ms`;
  if (step.achievedRate < step.offeredRate * 0.95) {
    return `only ${step.achievedRate} of ${step.offeredRate} msg/s could be offered (sends backed up)`;
  }
  return null;
}

function describe(step: DeliveryStep): string {
  const { latency, counts } = step;
  return (
    `  ${step.achievedRate}/${step.offeredRate} msg/s, ${step.deliveriesPerSecond} deliveries/s: ` +
    `p50 ${latency.p50} p90 ${latency.p90} p99 ${latency.p99} max ${latency.max} ms; ` +
    `ack p50 ${step.ack.p50} p99 ${step.ack.p99} ms; ` +
    `missing ${counts.missing}, send errors ${JSON.stringify(counts.sendErrors)}; ` +
    `server CPU ${step.server.cpuPercent.join('/')}% (${step.serverCpuMsPerMessage} ms/msg), event-loop delay p99 ` +
    `${step.server.eventLoopDelayP99.join('/')} max ${step.server.eventLoopDelayMax.join('/')} ms; ` +
    `load CPU ${step.loadCpuPercent}%, machine ${step.server.machineCpuPercent}%` +
    (step.backlogSeconds > 0.1 ? `; backlog worked off in ${step.backlogSeconds}s` : '')
  );
}
