import type { Conversation, ConversationId, User, UserId } from '../domain/model.ts';
import type { Services } from '../services/index.ts';
import { BatchLoader } from './batch-loader.ts';

/** Per-context batch loaders; created by `createContext`, never shared between requests. */
export interface Loaders {
  readonly users: BatchLoader<UserId, User | null>;
  readonly online: BatchLoader<UserId, boolean>;
  readonly conversations: BatchLoader<ConversationId, Conversation | null>;
}

/** Fresh loaders; `cache` is off for subscriptions, whose context lives as long as the socket. */
export function createLoaders(services: Services, cache: boolean): Loaders {
  return {
    users: new BatchLoader((ids) => services.users.getMany(ids), { cache }),
    online: new BatchLoader(
      async (ids) => {
        const online = await services.presence.isOnline(ids);
        return ids.map((id) => online.get(id) ?? false);
      },
      { cache },
    ),
    conversations: new BatchLoader((ids) => services.conversations.getMany(ids), { cache }),
  };
}
