import type { UserId } from '../domain/model.ts';
import type { Adapters } from '../ports/index.ts';
import type { Logger } from './logger.ts';

/** Presence settings taken from config. */
export interface PresenceOptions {
  /** How long a closed socket keeps its user online, so a quick reconnect does not flap. */
  readonly graceMs: number;
}

/**
 * Online while at least one authenticated socket is open. Changes go to the inbox of everyone
 * who has the user as a contact.
 */
export class PresenceService {
  readonly #adapters: Adapters;
  readonly #options: PresenceOptions;
  readonly #logger: Logger;
  /** Disconnects waiting out their grace period, by connection id. */
  readonly #pending = new Map<string, { timer: NodeJS.Timeout; run: () => Promise<void> }>();

  constructor(adapters: Adapters, options: PresenceOptions, logger: Logger) {
    this.#adapters = adapters;
    this.#options = options;
    this.#logger = logger;
  }

  /** An authenticated socket opened. */
  async connected(userId: UserId, connectionId: string): Promise<void> {
    if (await this.#adapters.presence.connect(userId, connectionId)) {
      await this.#announce(userId, true);
    }
  }

  /** A socket closed; the user goes offline after the grace period if no other socket is open. */
  disconnected(userId: UserId, connectionId: string): void {
    const run = async (): Promise<void> => {
      this.#pending.delete(connectionId);
      if (await this.#adapters.presence.disconnect(userId, connectionId)) {
        await this.#announce(userId, false);
      }
    };
    const timer = setTimeout(() => {
      run().catch((error: unknown) => {
        this.#logger.error({ err: error, userId }, 'presence disconnect failed');
      });
    }, this.#options.graceMs);
    this.#pending.set(connectionId, { timer, run });
  }

  /** Online state of each user. */
  isOnline(userIds: readonly UserId[]): Promise<Map<UserId, boolean>> {
    return this.#adapters.presence.isOnline(userIds);
  }

  /** Runs pending disconnects now (shutdown), so shared presence is not left stale. */
  async close(): Promise<void> {
    const pending = [...this.#pending.values()];
    for (const { timer } of pending) clearTimeout(timer);
    await Promise.all(pending.map(({ run }) => run()));
  }

  async #announce(userId: UserId, online: boolean): Promise<void> {
    const { store, bus } = this.#adapters;
    const watchers = await store.contacts.listOwnersOf(userId);
    await Promise.all(
      watchers.map((ownerId) =>
        bus.publish('inbox:event', ownerId, { type: 'PresenceChanged', userId, online }),
      ),
    );
  }
}
