import { randomUUID } from 'node:crypto';
import type { Conversation, Message, Session, User } from '../../src/domain/model.ts';

/**
 * Builders and helpers shared by the contract suites. Every id is random, so a suite can
 * run against a shared database (Mongo, Redis) without cleaning it first.
 */

/** A fresh id with a readable prefix. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** A lower-case tag of letters only, for search tests that must not match other rows. */
export function uniqueTag(): string {
  return Array.from(randomUUID().replaceAll('-', '').slice(0, 12), (digit) =>
    String.fromCharCode(97 + (Number.parseInt(digit, 16) % 26)),
  ).join('');
}

/** A time in whole milliseconds (what every store keeps), `offsetMs` from a fixed base. */
export function at(offsetMs = 0): Date {
  return new Date(Date.UTC(2030, 0, 1) + offsetMs);
}

export function aUser(overrides: Partial<User> = {}): User {
  const id = overrides.id ?? uniqueId('user');
  return {
    id,
    email: `${id}@example.com`,
    name: 'Test User',
    passwordHash: 'scrypt$hash',
    createdAt: at(),
    ...overrides,
  };
}

export function aConversation(
  memberIds: readonly string[],
  overrides: Partial<Conversation> = {},
): Conversation {
  return {
    id: uniqueId('conv'),
    kind: 'GROUP',
    title: 'Test group',
    memberIds,
    directKey: null,
    createdAt: at(),
    lastActivityAt: at(),
    ...overrides,
  };
}

export function aMessage(
  conversationId: string,
  seq: number,
  overrides: Partial<Message> = {},
): Message {
  return {
    id: uniqueId('msg'),
    conversationId,
    seq,
    clientId: uniqueId('client'),
    senderId: null,
    kind: 'USER',
    body: `message ${seq}`,
    status: 'SENT',
    error: null,
    createdAt: at(seq),
    updatedAt: at(seq),
    ...overrides,
  };
}

export function aSession(userId: string, overrides: Partial<Session> = {}): Session {
  return {
    id: uniqueId('session'),
    familyId: uniqueId('family'),
    userId,
    tokenHash: uniqueId('hash'),
    createdAt: at(),
    expiresAt: at(30 * 24 * 3600_000),
    rotatedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

/** `count` messages with seqs `from`, `from + 1`, … */
export function messageRange(conversationId: string, from: number, count: number): Message[] {
  return Array.from({ length: count }, (_, index) => aMessage(conversationId, from + index));
}

export function seqsOf(messages: readonly Message[] | null): number[] | null {
  return messages === null ? null : messages.map((message) => message.seq);
}

/** A promise with its settlers exposed, so tests wait on events instead of sleeping. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function createDeferred<T = void>(): Deferred<T> {
  const { promise, resolve, reject } = Promise.withResolvers<T>();
  return { promise, resolve, reject };
}

/** Watches a promise so a test can assert it has not settled yet. */
export function track<T>(promise: Promise<T>): { readonly settled: boolean; promise: Promise<T> } {
  const state = { settled: false, promise };
  promise.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return state;
}

/** Resolves once `condition()` holds, re-checked whenever `notify()` is called. */
export class Condition {
  readonly #waiters: { check: () => boolean; resolve: () => void }[] = [];

  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#waiters.push({ check, resolve });
    return promise;
  }

  notify(): void {
    for (const waiter of [...this.#waiters]) {
      if (!waiter.check()) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}
