import { z } from 'zod';
import type { User, UserId } from '../domain/model.ts';
import type { Adapters } from '../ports/index.ts';
import { notFound } from './errors.ts';
import { parseInput } from './validate.ts';

const searchInput = z.object({
  query: z.string().trim().min(1).max(100),
  first: z.number().int().min(1).max(50),
});

/** Users remembered by id; an entry is a few hundred bytes. */
const CACHED_USERS = 10_000;

/** Looking people up. */
export class UserService {
  readonly #adapters: Adapters;
  /**
   * Users never change once created, so lookups by id are answered from here, least recently
   * used dropped first. Without it every subscriber's delivery of a message read its sender
   * from the store (subscription loaders batch but never cache).
   */
  readonly #byId = new Map<UserId, User>();

  constructor(adapters: Adapters) {
    this.#adapters = adapters;
  }

  /** The user, or NOT_FOUND (a valid token whose user is gone counts as not found). */
  async get(id: UserId): Promise<User> {
    const user = await this.#adapters.store.users.findById(id);
    if (!user) throw notFound('User');
    return user;
  }

  /** Users by id, in the order asked, null for unknown ids (the per-request loader's batch). */
  async getMany(ids: readonly UserId[]): Promise<(User | null)[]> {
    const missing = ids.filter((id) => !this.#byId.has(id));
    if (missing.length > 0) {
      for (const user of await this.#adapters.store.users.findByIds(missing)) this.#remember(user);
    }
    return ids.map((id) => this.#recall(id));
  }

  #recall(id: UserId): User | null {
    const user = this.#byId.get(id);
    if (user === undefined) return null;
    // Re-inserting moves it to the end: Map order is the recency order.
    this.#byId.delete(id);
    this.#byId.set(id, user);
    return user;
  }

  #remember(user: User): void {
    this.#byId.set(user.id, user);
    if (this.#byId.size > CACHED_USERS) {
      const oldest = this.#byId.keys().next();
      if (!oldest.done) this.#byId.delete(oldest.value);
    }
  }

  /** People whose name or email starts with the query, the viewer excluded. */
  search(viewerId: UserId, query: unknown, first: unknown): Promise<User[]> {
    const input = parseInput(searchInput, { query, first });
    return this.#adapters.store.users.search(input.query, input.first, viewerId);
  }
}
