/** The shape every supervised service shares. */
import type { ServiceName } from './config.ts';
import type { ProcessSpec } from './process.ts';

/** Reports one step of a long command (download, build, format, start…). */
export type Log = (message: string) => void;

/** One supervised process and how to tell that it serves. */
export interface ServiceDef {
  readonly name: ServiceName;
  /** The client port; also how `status` tells "up" from "starting". */
  readonly port: number;
  readonly spec: ProcessSpec;
  /** True once the service answers on its port. */
  ready(): Promise<boolean>;
}
