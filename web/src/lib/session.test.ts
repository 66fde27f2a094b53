import { describe, expect, it } from 'vitest';
import type { AuthFieldsFragment } from '../gql/graphql.ts';
import { GraphQLRequestError } from './graphql-fetch.ts';
import { createSession, expiresSoon } from './session.ts';

/** A minimal in-memory Web Storage, standing in for the browser's sessionStorage. */
class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  clear() {
    this.#items.clear();
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
}

const jwt = (exp: number) => `x.${btoa(JSON.stringify({ exp })).replace(/=+$/, '')}.sig`;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const payload = (n: number): AuthFieldsFragment => ({
  accessToken: jwt(inAnHour()),
  refreshToken: `refresh-${n}`,
  user: { id: 'u1', name: 'Alice', email: 'alice@example.com', online: true },
});

describe('session', () => {
  it('shares one refresh between concurrent callers (a reused token would revoke the family)', async () => {
    const storage = new MemoryStorage();
    const used: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const session = createSession(storage, async (token) => {
      used.push(token);
      await gate;
      return payload(used.length + 1);
    });
    session.signIn(payload(1));
    const all = Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    release();
    expect(await all).toEqual([true, true, true]);
    expect(used).toEqual(['refresh-1']);
    expect(session.getRefreshToken()).toBe('refresh-2');
  });

  it('restores the user from storage and refreshes the missing access token', async () => {
    const storage = new MemoryStorage();
    createSession(storage, async () => payload(2)).signIn(payload(1));
    const restored = createSession(storage, async (token) => {
      expect(token).toBe('refresh-1');
      return payload(2);
    });
    expect(restored.getUser()?.name).toBe('Alice');
    expect(restored.getAccessToken()).toBeNull();
    expect(await restored.ensureAccessToken()).toBe(payload(2).accessToken);
  });

  it('signs out when the server refuses the refresh token, but not when offline', async () => {
    const storage = new MemoryStorage();
    let fail: Error = new TypeError('fetch failed');
    const session = createSession(storage, async () => {
      throw fail;
    });
    session.signIn(payload(1));
    await expect(session.refresh()).rejects.toThrow('fetch failed');
    expect(session.getUser()).not.toBeNull();

    fail = new GraphQLRequestError([
      { message: 'revoked', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(await session.refresh()).toBe(false);
    expect(session.getUser()).toBeNull();
    expect(storage.length).toBe(0);
  });
});

describe('expiresSoon', () => {
  it('reads exp from the JWT payload', () => {
    const now = Date.now();
    expect(expiresSoon(jwt(Math.floor(now / 1000) + 3600), now)).toBe(false);
    expect(expiresSoon(jwt(Math.floor(now / 1000) + 5), now)).toBe(true);
    expect(expiresSoon('not-a-jwt', now)).toBe(true);
  });
});
