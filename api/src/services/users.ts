import { z } from 'zod';
import type { User, UserId } from '../domain/model.ts';
import type { Adapters } from '../ports/index.ts';
import { notFound } from './errors.ts';
import { parseInput } from './validate.ts';

const searchInput = z.object({
  query: z.string().trim().min(1).max(100),
  first: z.number().int().min(1).max(50),
});

/** Looking people up. */
export class UserService {
  readonly #adapters: Adapters;

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
    const users = await this.#adapters.store.users.findByIds(ids);
    const byId = new Map(users.map((user) => [user.id, user]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** People whose name or email starts with the query, the viewer excluded. */
  search(viewerId: UserId, query: unknown, first: unknown): Promise<User[]> {
    const input = parseInput(searchInput, { query, first });
    return this.#adapters.store.users.search(input.query, input.first, viewerId);
  }
}
