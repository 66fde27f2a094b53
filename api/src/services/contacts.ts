import { z } from 'zod';
import type { Contact, UserId } from '../domain/model.ts';
import type { Adapters } from '../ports/index.ts';
import { badInput, notFound } from './errors.ts';
import { parseInput } from './validate.ts';

const nickname = z.string().trim().min(1).max(80);
const addInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  nickname: nickname.nullish(),
});
const renameInput = z.object({ userId: z.string().min(1).max(64), nickname });

/** The viewer's address book. */
export class ContactService {
  readonly #adapters: Adapters;

  constructor(adapters: Adapters) {
    this.#adapters = adapters;
  }

  /** Adds (or re-adds, updating the nickname) the user with that email. */
  async add(ownerId: UserId, input: unknown): Promise<Contact> {
    const data = parseInput(addInput, input);
    const { store, clock } = this.#adapters;
    const user = await store.users.findByEmail(data.email);
    if (!user) throw notFound('User');
    if (user.id === ownerId) throw badInput('You cannot add yourself as a contact');
    return store.contacts.upsert({
      ownerId,
      userId: user.id,
      nickname: data.nickname ?? null,
      createdAt: clock.now(),
    });
  }

  /** Changes the nickname of an existing contact. */
  async rename(ownerId: UserId, userId: unknown, nickname: unknown): Promise<Contact> {
    const data = parseInput(renameInput, { userId, nickname });
    const { store } = this.#adapters;
    const existing = await store.contacts.find(ownerId, data.userId);
    if (!existing) throw notFound('Contact');
    return store.contacts.upsert({ ...existing, nickname: data.nickname });
  }

  /** The viewer's contacts. */
  list(ownerId: UserId): Promise<Contact[]> {
    return this.#adapters.store.contacts.listForOwner(ownerId);
  }
}
