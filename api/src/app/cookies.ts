import type { CORSOptions, Plugin } from 'graphql-yoga';

/** The httpOnly cookie that carries the refresh token to and from browsers. */
export const REFRESH_COOKIE_NAME = 'parley_refresh';

/** How the refresh cookie is written; set from config. */
export interface RefreshCookieOptions {
  /** The GraphQL endpoint: the only path the browser sends the cookie back to. */
  readonly path: string;
  /** The cookie's lifetime: the refresh token's TTL. */
  readonly maxAgeSeconds: number;
  /** Mark it Secure on every response (production); otherwise only on https requests. */
  readonly alwaysSecure: boolean;
  /** Believe `X-Forwarded-Proto: https` from a TLS-terminating proxy. */
  readonly trustProxy: boolean;
}

/** The refresh cookie of one HTTP request: the token it brought, and what the response sets. */
export interface RefreshCookie {
  /**
   * The token the request's cookie carries, or null. Read from JSON POSTs only: a browser
   * sends that content type cross-origin only after a CORS preflight, which forms and
   * `<img>` tags cannot trigger, so a forged request never gets to use the cookie.
   */
  readonly token: string | null;
  /** Sets the cookie to `token` on this request's response. */
  set(token: string): void;
  /** Expires the cookie on this request's response. */
  clear(): void;
}

/** Refresh cookies for one app: the yoga plugin writing `Set-Cookie`, and each request's cookie. */
export interface RefreshCookies {
  readonly plugin: Plugin;
  forRequest(request: Request): RefreshCookie;
}

/**
 * Resolvers record the cookie on the request's `RefreshCookie` (through the context); the
 * plugin appends it to that request's response. Keyed by the request, so nothing outlives it.
 */
export function createRefreshCookies(options: RefreshCookieOptions): RefreshCookies {
  const pending = new WeakMap<Request, string>();
  return {
    plugin: {
      onResponse({ request, response }) {
        const header = pending.get(request);
        if (header) response.headers.append('set-cookie', header);
      },
    },
    forRequest(request) {
      const write = (value: string, maxAgeSeconds: number) => {
        const attributes = [
          `${REFRESH_COOKIE_NAME}=${encodeURIComponent(value)}`,
          `Path=${options.path}`,
          `Max-Age=${maxAgeSeconds}`,
          'HttpOnly',
          'SameSite=Strict',
        ];
        if (options.alwaysSecure || isHttps(request, options.trustProxy)) attributes.push('Secure');
        pending.set(request, attributes.join('; '));
      };
      return {
        token: isJsonPost(request)
          ? readCookie(request.headers.get('cookie'), REFRESH_COOKIE_NAME)
          : null,
        set: (token) => write(token, options.maxAgeSeconds),
        clear: () => write('', 0),
      };
    },
  };
}

/**
 * CORS that reflects any origin but never allows credentials. yoga's default also sends
 * `Access-Control-Allow-Credentials: true`, which would let a page on a sibling origin of
 * the same site (SameSite does not separate those) send the cookie and read the new tokens.
 * Bearer-token clients on other origins keep working.
 */
export const corsWithoutCredentials: CORSOptions = { credentials: false };

/** The value of cookie `name` in a `Cookie` header, or null (the first one wins, as browsers send the most specific path first). */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    try {
      return value ? decodeURIComponent(value) : null;
    } catch {
      // A malformed escape cannot be a token we issued; treat it as no cookie.
      return null;
    }
  }
  return null;
}

function isJsonPost(request: Request): boolean {
  if (request.method !== 'POST') return false;
  const mediaType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

function isHttps(request: Request, trustProxy: boolean): boolean {
  if (new URL(request.url).protocol === 'https:') return true;
  if (!trustProxy) return false;
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return forwarded === 'https';
}
