import { describe, expect, it } from 'vitest';
import type { AuthFieldsFragment } from '../gql/graphql.ts';
import { GraphQLRequestError } from './graphql-fetch.ts';
import { type CrossTabLock, createSession, expiresSoon, type RefreshRequest } from './session.ts';

const jwt = (exp: number, n = 0) => `x.${btoa(JSON.stringify({ exp, n })).replace(/=+$/, '')}.sig`;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const payload = (n: number, id = 'u1'): AuthFieldsFragment => ({
  accessToken: jwt(inAnHour(), n),
  user: { id, name: id === 'u1' ? 'Alice' : 'Bob', email: 'alice@example.com', online: true },
});
const refused = () =>
  new GraphQLRequestError([{ message: 'revoked', extensions: { code: 'UNAUTHENTICATED' } }]);

/** A promise and its resolver, to hold a request open while the test acts. */
function deferred<T = void>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('session', () => {
  it('restores from the refresh cookie at start, with the access token in memory', async () => {
    const session = createSession({ requestRefresh: async () => payload(1) });
    expect(session.getState()).toEqual({ status: 'restoring' });
    await session.restore();
    expect(session.getState()).toEqual({
      status: 'signedIn',
      user: { id: 'u1', name: 'Alice', email: 'alice@example.com' },
    });
    expect(session.getAccessToken()).toBe(payload(1).accessToken);
  });

  it('starts signed out when the server refuses the cookie (none, expired or revoked)', async () => {
    const calls: string[] = [];
    const session = createSession({
      requestRefresh: async () => {
        calls.push('refresh');
        throw refused();
      },
    });
    await session.restore();
    expect(session.getState()).toEqual({ status: 'signedOut' });
    // Signed out: nothing asks the server again until someone signs in.
    expect(await session.ensureAccessToken()).toBeNull();
    expect(calls).toEqual(['refresh']);
  });

  it('shares one refresh between concurrent callers (a reused token would revoke the family)', async () => {
    let calls = 0;
    const gate = deferred();
    const session = createSession({
      requestRefresh: async () => {
        calls += 1;
        await gate.promise;
        return payload(calls + 1);
      },
    });
    // An access token about to expire: ensureAccessToken joins the refresh too.
    session.signIn({ ...payload(1), accessToken: jwt(Math.floor(Date.now() / 1000) + 5) });
    const all = Promise.all([session.refresh(), session.refresh(), session.ensureAccessToken()]);
    gate.resolve();
    expect(await all).toEqual([true, true, payload(2).accessToken]);
    expect(calls).toBe(1);
  });

  it('takes the cross-tab lock around each refresh, so tabs never present one cookie twice', async () => {
    const log: string[] = [];
    // One lock shared by two "tabs", like navigator.locks on one origin.
    let tail: Promise<unknown> = Promise.resolve();
    const lock: CrossTabLock = (task) => {
      const run = tail.then(task);
      tail = run.catch(() => undefined);
      return run;
    };
    const tab = (name: string): RefreshRequest => {
      return async () => {
        log.push(`${name} start`);
        await Promise.resolve();
        log.push(`${name} end`);
        return payload(1);
      };
    };
    const first = createSession({ requestRefresh: tab('a'), lock });
    const second = createSession({ requestRefresh: tab('b'), lock });
    await Promise.all([first.restore(), second.restore()]);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('signs out when the server refuses a refresh, but not when offline', async () => {
    let fail: Error = new TypeError('fetch failed');
    const session = createSession({
      requestRefresh: async () => {
        throw fail;
      },
    });
    session.signIn(payload(1));
    await expect(session.refresh()).rejects.toThrow('fetch failed');
    expect(session.getState().status).toBe('signedIn');

    fail = refused();
    expect(await session.refresh()).toBe(false);
    expect(session.getState()).toEqual({ status: 'signedOut' });
  });

  it('shows the sign-in screen when the server cannot be reached at start', async () => {
    const session = createSession({
      requestRefresh: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await session.restore();
    expect(session.getState()).toEqual({ status: 'signedOut' });
  });

  it('ignores a refresh that completes after sign-out', async () => {
    const gate = deferred();
    const session = createSession({
      requestRefresh: async () => {
        await gate.promise;
        return payload(2);
      },
    });
    session.signIn(payload(1));
    const inFlight = session.refresh();
    session.clear();
    gate.resolve();
    expect(await inFlight).toBe(false);
    expect(session.getState()).toEqual({ status: 'signedOut' });
    expect(session.getAccessToken()).toBeNull();
  });

  it('keeps its state object until the user changes, and tells subscribers only then', async () => {
    const session = createSession({ requestRefresh: async () => payload(2) });
    let notified = 0;
    session.subscribe(() => {
      notified += 1;
    });
    session.signIn(payload(1));
    const signedIn = session.getState();
    await session.refresh();
    expect(session.getState()).toBe(signedIn);
    expect(notified).toBe(1);
    session.signIn(payload(3, 'u2'));
    expect(session.getState()).toEqual({
      status: 'signedIn',
      user: { id: 'u2', name: 'Bob', email: 'alice@example.com' },
    });
    expect(notified).toBe(2);
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
