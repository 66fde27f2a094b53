import type { AuthFieldsFragment } from '../gql/graphql.ts';
import { GraphQLRequestError } from './graphql-fetch.ts';

/** The signed-in user as the app shows them. */
export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
}

/** Exchanges a refresh token for a new token pair (the `refreshSession` mutation). */
export type RefreshRequest = (refreshToken: string) => Promise<AuthFieldsFragment>;

/**
 * Who is signed in, and their tokens. The access token lives only in memory; the refresh
 * token is kept in `sessionStorage` so a reload of this tab stays signed in (see
 * docs/WEB.md for why, and what an httpOnly cookie would change).
 */
export interface Session {
  getUser(): SessionUser | null;
  /** For `useSyncExternalStore`: called whenever the user signs in or out. */
  subscribe(listener: () => void): () => void;
  getAccessToken(): string | null;
  /** The current access token, refreshing first when it is missing or about to expire. */
  ensureAccessToken(): Promise<string | null>;
  signIn(payload: AuthFieldsFragment): void;
  /**
   * Rotates the token pair; concurrent callers share one request, because reusing a
   * rotated refresh token revokes the whole session. Resolves false when signed out.
   */
  refresh(): Promise<boolean>;
  /** Forgets the tokens locally (the caller revokes them on the server first). */
  clear(): void;
  getRefreshToken(): string | null;
}

interface Stored {
  readonly refreshToken: string;
  readonly user: SessionUser;
}

const storageKey = 'parley.session';
/** Refresh this long before the access token expires, so requests never race expiry. */
const expiryMarginMs = 30_000;

/** Creates the session, restoring a refresh token from `storage` if this tab has one. */
export function createSession(storage: Storage, requestRefresh: RefreshRequest): Session {
  let stored = readStored(storage);
  let accessToken: string | null = null;
  let refreshing: Promise<boolean> | null = null;
  const listeners = new Set<() => void>();

  const notify = () => {
    for (const listener of listeners) listener();
  };

  const save = (next: Stored | null) => {
    const changedUser = next?.user.id !== stored?.user.id;
    stored = next;
    if (next) storage.setItem(storageKey, JSON.stringify(next));
    else storage.removeItem(storageKey);
    if (changedUser) notify();
  };

  const signIn = (payload: AuthFieldsFragment) => {
    accessToken = payload.accessToken;
    save({
      refreshToken: payload.refreshToken,
      user: { id: payload.user.id, name: payload.user.name, email: payload.user.email ?? null },
    });
  };

  const clear = () => {
    accessToken = null;
    save(null);
  };

  const runRefresh = async (): Promise<boolean> => {
    const refreshToken = stored?.refreshToken;
    if (!refreshToken) return false;
    try {
      signIn(await requestRefresh(refreshToken));
      return true;
    } catch (error) {
      // A refused token means the session is over; anything else (offline, 5xx) is
      // transient, so keep the refresh token for the next attempt.
      if (error instanceof GraphQLRequestError) {
        clear();
        return false;
      }
      throw error;
    }
  };

  const refresh = () => {
    refreshing ??= runRefresh().finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  return {
    getUser: () => stored?.user ?? null,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getAccessToken: () => accessToken,
    getRefreshToken: () => stored?.refreshToken ?? null,
    async ensureAccessToken() {
      if (accessToken && !expiresSoon(accessToken, Date.now())) return accessToken;
      if (!stored) return null;
      return (await refresh()) ? accessToken : null;
    },
    signIn,
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

function readStored(storage: Storage): Stored | null {
  const raw = storage.getItem(storageKey);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Stored>;
    if (typeof value.refreshToken !== 'string' || typeof value.user?.id !== 'string') return null;
    return { refreshToken: value.refreshToken, user: value.user };
  } catch {
    // A corrupt entry is a signed-out tab, not an error worth surfacing.
    storage.removeItem(storageKey);
    return null;
  }
}
