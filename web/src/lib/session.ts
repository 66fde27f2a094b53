import type { AuthFieldsFragment } from '../gql/graphql.ts';
import { GraphQLRequestError } from './graphql-fetch.ts';

/** The signed-in user as the app shows them. */
export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

/**
 * Trades the browser's refresh cookie for a new access token: the `refreshSession` mutation
 * without an argument. The server rotates the httpOnly cookie in the same response.
 */
export type RefreshRequest = () => Promise<AuthFieldsFragment>;

/** Runs `task` while holding a lock that every tab of this origin shares (Web Locks). */
export type CrossTabLock = <T>(task: () => Promise<T>) => Promise<T>;

/** Where the session stands: being restored from the cookie at start, signed in, or out. */
export type SessionState =
  | { readonly status: 'restoring' }
  | { readonly status: 'signedOut' }
  | { readonly status: 'signedIn'; readonly user: SessionUser };

/**
 * Who is signed in, and their access token, which lives only in memory. The refresh token
 * never reaches page scripts: it travels in an httpOnly cookie (see docs/WEB.md).
 */
export interface Session {
  /** For `useSyncExternalStore`: the same object until the status or the user changes. */
  getState(): SessionState;
  subscribe(listener: () => void): () => void;
  getAccessToken(): string | null;
  /** The current access token, refreshing first when it is missing or about to expire. */
  ensureAccessToken(): Promise<string | null>;
  signIn(payload: AuthFieldsFragment): void;
  /** At start: trades the refresh cookie, if the browser holds one, for a session. */
  restore(): Promise<void>;
  /**
   * Rotates the session; concurrent callers share one request, because reusing a rotated
   * refresh token revokes the whole session. Resolves false when signed out.
   */
  refresh(): Promise<boolean>;
  /** Forgets the session locally (the caller revokes it on the server first). */
  clear(): void;
}

export interface SessionOptions {
  readonly requestRefresh: RefreshRequest;
  /**
   * Serialises refreshes across tabs, which share the one cookie: two tabs presenting the
   * same token at once would look like reuse and revoke the session. Web Locks exist on
   * secure origins only; elsewhere refreshes run unlocked.
   */
  readonly lock?: CrossTabLock;
}

/** A `CrossTabLock` on the Web Locks API: the lock is held until the task settles. */
export function webLock(locks: LockManager, name: string): CrossTabLock {
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      locks.request(name, () => task().then(resolve, reject)).catch(reject);
    });
}

/** Refresh this long before the access token expires, so requests never race expiry. */
const expiryMarginMs = 30_000;

/** Creates the session in the `restoring` state; call `restore()` once at start. */
export function createSession({
  requestRefresh,
  lock = (task) => task(),
}: SessionOptions): Session {
  let state: SessionState = { status: 'restoring' };
  let accessToken: string | null = null;
  let refreshing: Promise<boolean> | null = null;
  /** Bumped by `clear()`, so a refresh that was in flight at sign-out cannot sign back in. */
  let epoch = 0;
  const listeners = new Set<() => void>();

  const setState = (next: SessionState) => {
    const unchanged =
      next.status === 'signedIn' && state.status === 'signedIn'
        ? next.user.id === state.user.id
        : next.status === state.status;
    if (unchanged) return;
    state = next;
    for (const listener of listeners) listener();
  };

  const signIn = (payload: AuthFieldsFragment) => {
    accessToken = payload.accessToken;
    const { id, name, email } = payload.user;
    setState({ status: 'signedIn', user: { id, name, email: email ?? null } });
  };

  const clear = () => {
    epoch += 1;
    accessToken = null;
    setState({ status: 'signedOut' });
  };

  const runRefresh = async (): Promise<boolean> => {
    const started = epoch;
    try {
      const payload = await lock(requestRefresh);
      if (epoch !== started) return false;
      signIn(payload);
      return true;
    } catch (error) {
      // A refused cookie means the session is over; anything else (offline, 5xx) is
      // transient, and the cookie stays valid for the next attempt.
      if (error instanceof GraphQLRequestError) {
        if (epoch === started) clear();
        return false;
      }
      throw error;
    }
  };

  const refresh = () => {
    if (state.status === 'signedOut') return Promise.resolve(false);
    refreshing ??= runRefresh().finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getAccessToken: () => accessToken,
    async ensureAccessToken() {
      if (accessToken && !expiresSoon(accessToken, Date.now())) return accessToken;
      return (await refresh()) ? accessToken : null;
    },
    signIn,
    async restore() {
      if (state.status !== 'restoring') return;
      try {
        await refresh();
      } catch (error) {
        // The server could not be reached: show the sign-in screen rather than hang. The
        // cookie is untouched, so a reload restores the session once the server answers.
        console.warn('Could not restore the session', error);
        clear();
      }
    },
    refresh,
    clear,
  };
}

/** Whether a JWT's `exp` is within the margin of `now` (an unreadable token counts as expired). */
export function expiresSoon(token: string, now: number): boolean {
  const payload = token.split('.')[1];
  if (!payload) return true;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: unknown;
    };
    return typeof claims.exp !== 'number' || claims.exp * 1000 - expiryMarginMs <= now;
  } catch {
    return true;
  }
}
