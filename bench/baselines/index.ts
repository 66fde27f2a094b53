import type { HostLink } from '../load/host-link.ts';
import { type ExecuteBaseline, measureExecute } from './graphql-execute.ts';
import { measureServices, type ServiceBaselineParams, type ServiceBaselines } from './services.ts';
import { measureTransport, type TransportBaseline, type TransportParams } from './transport.ts';

/** Every same-run baseline: the physical limits Parley's figures are divided by. */
export interface BaselineParams {
  readonly transport: TransportParams;
  readonly apiRoot: string;
  readonly executeIterations: number;
  /** Null when no distributed mode runs (the services may not be up). */
  readonly services: ServiceBaselineParams | null;
}

export interface BaselineResult {
  readonly transport: TransportBaseline;
  readonly execute: ExecuteBaseline;
  readonly services: ServiceBaselines | null;
}

/** Runs the baselines in this (load-generator) thread; the echo server is its own process. */
export async function runBaselines(
  params: BaselineParams,
  host: HostLink,
): Promise<BaselineResult> {
  const transport = await measureTransport(params.transport, host);
  host.progress(`graphql.execute of the subscription selection: ${params.executeIterations}×`);
  const execute = await measureExecute(params.apiRoot, params.executeIterations);
  const services = params.services ? await measureServices(params.services, host) : null;
  return { transport, execute, services };
}
