import { createMemoryClientIdRegistry } from '../../src/adapters/memory/client-id-registry.ts';
import { createMemoryEventBus } from '../../src/adapters/memory/event-bus.ts';
import { createMemoryMessageCache } from '../../src/adapters/memory/message-cache.ts';
import { createGroupCommitLog } from '../../src/adapters/memory/message-log.ts';
import { createMemoryPresenceStore } from '../../src/adapters/memory/presence.ts';
import { createMemoryRateLimiter } from '../../src/adapters/memory/rate-limiter.ts';
import { createMemorySeqAllocator } from '../../src/adapters/memory/seq-allocator.ts';
import { describeClientIdRegistryContract } from '../contracts/client-id-registry.contract.ts';
import { describeEventBusContract } from '../contracts/event-bus.contract.ts';
import { describeMessageCacheContract } from '../contracts/message-cache.contract.ts';
import { describeMessageLogContract } from '../contracts/message-log.contract.ts';
import { describePresenceContract } from '../contracts/presence.contract.ts';
import { describeRateLimiterContract } from '../contracts/rate-limiter.contract.ts';
import { describeSeqAllocatorContract } from '../contracts/seq-allocator.contract.ts';

describeEventBusContract('memory', async () => createMemoryEventBus());

describeMessageCacheContract('memory', async ({ windowSize }) =>
  createMemoryMessageCache({ windowSize }),
);

describeSeqAllocatorContract('memory', async (floor) => createMemorySeqAllocator(floor));

describeRateLimiterContract('memory', async () => createMemoryRateLimiter());

describePresenceContract('memory', async () => createMemoryPresenceStore());

describeClientIdRegistryContract('memory', async () => createMemoryClientIdRegistry());

describeMessageLogContract(
  'memory group-commit queue',
  async () => {
    const errors: unknown[] = [];
    const log = createGroupCommitLog({
      retryInitialMs: 1,
      retryMaxMs: 5,
      onHandlerError: (error) => errors.push(error),
    });
    return {
      log,
      consumer: log,
      async dispose() {
        await log.stop();
        await log.close();
      },
    };
  },
  { appendAwaitsHandler: true },
);
