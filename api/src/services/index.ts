import type { Adapters } from '../ports/index.ts';
import { AssistantService } from './assistant/assistant-service.ts';
import type { AssistantOptions } from './assistant/options.ts';
import { type AuthOptions, AuthService } from './auth.ts';
import { SafeCache } from './cache-reads.ts';
import { ContactService } from './contacts.ts';
import { type ConversationOptions, ConversationService } from './conversations.ts';
import { type EventOptions, EventService } from './events.ts';
import type { Logger } from './logger.ts';
import { type MessageOptions, MessageService } from './messages.ts';
import { PersistenceWorker } from './persistence-worker.ts';
import { type PresenceOptions, PresenceService } from './presence.ts';
import { type TypingOptions, TypingService } from './typing.ts';
import { UserService } from './users.ts';

/** Every setting the domain services take, assembled from config by the composition root. */
export interface ServiceOptions {
  readonly auth: AuthOptions;
  readonly conversations: ConversationOptions;
  readonly messages: MessageOptions;
  readonly events: EventOptions;
  readonly presence: PresenceOptions;
  readonly typing: TypingOptions;
  readonly assistant: AssistantOptions;
}

/** The domain services, reached by resolvers through the context. */
export interface Services {
  readonly auth: AuthService;
  readonly users: UserService;
  readonly contacts: ContactService;
  readonly conversations: ConversationService;
  readonly messages: MessageService;
  readonly events: EventService;
  readonly presence: PresenceService;
  readonly typing: TypingService;
  readonly assistant: AssistantService;
  readonly worker: PersistenceWorker;
  /** Stops timers, settles pending presence and ends streaming replies; adapters are closed by their owner. */
  close(): Promise<void>;
}

/** Wires the services to one set of adapters. */
export function createServices(
  adapters: Adapters,
  options: ServiceOptions,
  logger: Logger,
): Services {
  const cache = new SafeCache(adapters.cache, logger);
  const conversations = new ConversationService(adapters, cache, options.conversations);
  const presence = new PresenceService(adapters, options.presence, logger);
  const typing = new TypingService(adapters, conversations, options.typing, logger);
  const assistant = new AssistantService(adapters, cache, logger, options.assistant);
  return {
    auth: new AuthService(adapters, options.auth),
    users: new UserService(adapters),
    contacts: new ContactService(adapters),
    conversations,
    messages: new MessageService(
      adapters,
      cache,
      conversations,
      typing,
      assistant,
      options.messages,
    ),
    events: new EventService(adapters, cache, conversations, options.events, logger),
    presence,
    typing,
    assistant,
    worker: new PersistenceWorker(adapters.store, logger),
    async close() {
      typing.close();
      await Promise.all([presence.close(), assistant.stop()]);
    },
  };
}
