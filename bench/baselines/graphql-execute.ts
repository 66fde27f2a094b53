import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execute, parse } from 'graphql';
import { CONVERSATION_EVENTS } from '../load/documents.ts';
import { round, Samples, type Summary } from '../stats.ts';
import { sampleMessage } from './sample-delivery.ts';

/** What the server does for each subscriber of each message, measured alone. */
export interface ExecuteBaseline {
  /** One `graphql.execute` of the subscription's selection for a MessageAdded event, ms. */
  readonly execute: Summary;
  /** `JSON.stringify` of the graphql-ws frame that carries the result, ms. */
  readonly serialise: Summary;
  /** 1000 / (execute p50 + serialise p50): deliveries one core could render per second. */
  readonly deliveriesPerCoreSecond: number;
}

type ServerModule = typeof import('../../api/src/app/server.ts');
type ConfigModule = typeof import('../../api/src/app/config.ts');
type SchemaModule = typeof import('../../api/src/schema/index.ts');

/**
 * Executes the web app's subscription selection against Parley's own schema and context,
 * in this process, on embedded adapters (the sender is a real stored user, read through the
 * subscription context's loader as on the server). `apiRoot` is the checkout under test.
 */
export async function measureExecute(
  apiRoot: string,
  iterations: number,
): Promise<ExecuteBaseline> {
  const from = (path: string) => join(apiRoot, 'api', 'src', path);
  const { createApp } = (await import(from('app/server.ts'))) as ServerModule;
  const { loadConfig } = (await import(from('app/config.ts'))) as ConfigModule;
  const { schema } = (await import(from('schema/index.ts'))) as SchemaModule;

  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-execute-'));
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'bench-execute-secret-bench-execute-secret',
      PASSWORD_SCRYPT_LOG2N: '10',
      DATA_DIR: dataDir,
    },
    dataDir,
  );
  const app = await createApp(config);
  try {
    const { services } = app.core;
    const auth = await services.auth.signUp(
      { email: 'execute@bench.test', password: 'bench-password-123', name: 'Bench User' },
      'bench',
    );
    const viewer = services.auth.verifyAccessToken(auth.accessToken);
    if (!viewer) throw new Error('could not verify the bench token');
    // The server's own context factory, as graphql-ws's onSubscribe builds a socket's context.
    const enveloped = app.yoga.getEnveloped({ socket: { viewer, clientAddress: 'bench' } });
    const contextValue = await enveloped.contextFactory();
    const document = parse(CONVERSATION_EVENTS);
    const message = {
      ...sampleMessage(),
      senderId: auth.user.id,
      createdAt: new Date(),
      updatedAt: new Date(),
      error: null,
    };
    const executeSamples = new Samples();
    const serialiseSamples = new Samples();
    for (let index = 0; index < iterations; index += 1) {
      const started = performance.now();
      const result = await execute({
        schema,
        document,
        rootValue: { type: 'MessageAdded', message: { ...message, seq: index + 1 } },
        contextValue,
        variableValues: { conversationId: message.conversationId },
      });
      const executed = performance.now();
      if (result.errors?.length) throw new Error(`execute failed: ${result.errors[0]?.message}`);
      JSON.stringify({ id: '1', type: 'next', payload: result });
      serialiseSamples.push(performance.now() - executed);
      executeSamples.push(executed - started);
    }
    const executeSummary = executeSamples.summary();
    const serialiseSummary = serialiseSamples.summary();
    return {
      execute: executeSummary,
      serialise: serialiseSummary,
      deliveriesPerCoreSecond: round(1000 / (executeSummary.p50 + serialiseSummary.p50), 0),
    };
  } finally {
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
