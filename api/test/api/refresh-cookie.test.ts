/**
 * The httpOnly refresh cookie: set by signUp/logIn/refreshSession, used when the argument
 * is omitted, rotated, cleared by logOut and by a refused refresh, and read only from JSON
 * POSTs on the API's own origin.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_COOKIE_NAME } from '../../src/app/cookies.ts';
import {
  errorCodes,
  type GraphQLResponse,
  startTestServer,
  type TestServer,
} from '../support/server.ts';

const REFRESH_TTL_SECONDS = 86_400;
const AUTH_FIELDS = 'accessToken refreshToken user { id name }';

interface AuthPayload {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly user: { readonly id: string; readonly name: string };
}

/** One `Set-Cookie` header, split into its value and attributes (lower-cased names). */
interface SetCookie {
  readonly name: string;
  readonly value: string;
  readonly attributes: Readonly<Record<string, string>>;
}

interface Exchange<T> {
  readonly status: number;
  readonly body: GraphQLResponse<T>;
  /** The refresh cookie the response sets, if any. */
  readonly cookie: SetCookie | null;
  readonly headers: Headers;
}

interface PostOptions {
  readonly cookie?: string;
  readonly url?: string;
  readonly headers?: Record<string, string>;
}

function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...rest] = header.split(';').map((part) => part.trim());
  const separator = pair.indexOf('=');
  const attributes: Record<string, string> = {};
  for (const attribute of rest) {
    const at = attribute.indexOf('=');
    if (at < 0) attributes[attribute.toLowerCase()] = '';
    else attributes[attribute.slice(0, at).toLowerCase()] = attribute.slice(at + 1);
  }
  return { name: pair.slice(0, separator), value: pair.slice(separator + 1), attributes };
}

/** A JSON POST through `yoga.fetch`, with the cookie the browser would send. */
async function post<T = Record<string, unknown>>(
  server: TestServer,
  query: string,
  variables: Record<string, unknown> = {},
  options: PostOptions = {},
): Promise<Exchange<T>> {
  const response = await server.app.yoga.fetch(options.url ?? 'http://parley.test/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(options.cookie ? { cookie: `${REFRESH_COOKIE_NAME}=${options.cookie}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return exchange<T>(response);
}

async function exchange<T>(response: Response): Promise<Exchange<T>> {
  const cookies = response.headers.getSetCookie().map(parseSetCookie);
  const refresh = cookies.filter((cookie) => cookie.name === REFRESH_COOKIE_NAME);
  expect(refresh.length).toBeLessThanOrEqual(1);
  return {
    status: response.status,
    body: (await response.json()) as GraphQLResponse<T>,
    cookie: refresh[0] ?? null,
    headers: response.headers,
  };
}

function signUp(server: TestServer, name: string, options: PostOptions = {}) {
  return post<{ signUp: AuthPayload }>(
    server,
    `mutation ($input: SignUpInput!) { signUp(input: $input) { ${AUTH_FIELDS} } }`,
    {
      input: {
        email: `${name.toLowerCase()}-${randomUUID()}@example.test`,
        password: 'correct horse battery',
        name,
      },
    },
    options,
  );
}

/** refreshSession without the argument: the cookie (if any) is the only token. */
function refreshWithCookie(server: TestServer, cookie?: string) {
  return post<{ refreshSession: AuthPayload }>(
    server,
    `mutation { refreshSession { ${AUTH_FIELDS} } }`,
    {},
    cookie === undefined ? {} : { cookie },
  );
}

function expectCleared(cookie: SetCookie | null) {
  expect(cookie?.value).toBe('');
  expect(cookie?.attributes['max-age']).toBe('0');
  expect(cookie?.attributes['path']).toBe('/graphql');
}

describe('refresh-token cookie', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      env: { REFRESH_TOKEN_TTL_SECONDS: String(REFRESH_TTL_SECONDS) },
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('is set by signUp and logIn: httpOnly, SameSite=Strict, scoped to /graphql, refresh TTL', async () => {
    const signedUp = await signUp(server, 'Ann');
    const payload = signedUp.body.data?.signUp;
    expect(signedUp.cookie).toEqual({
      name: REFRESH_COOKIE_NAME,
      value: payload?.refreshToken,
      attributes: {
        path: '/graphql',
        'max-age': String(REFRESH_TTL_SECONDS),
        httponly: '',
        samesite: 'Strict',
      },
    });

    const loggedIn = await post<{ logIn: AuthPayload }>(
      server,
      `mutation ($input: LogInInput!) { logIn(input: $input) { ${AUTH_FIELDS} } }`,
      {
        input: {
          email: (
            await server.gql<{ me: { email: string } }>(
              '{ me { email } }',
              {},
              payload?.accessToken,
            )
          ).data?.me.email,
          password: 'correct horse battery',
        },
      },
    );
    expect(loggedIn.body.data?.logIn.user.id).toBe(payload?.user.id);
    expect(loggedIn.cookie?.value).toBe(loggedIn.body.data?.logIn.refreshToken);
    expect(loggedIn.cookie?.attributes['httponly']).toBe('');
    // A failed log-in sets nothing.
    const wrong = await post(
      server,
      'mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }',
      { input: { email: 'nobody@example.test', password: 'whatever123' } },
    );
    expect(errorCodes(wrong.body)).toEqual(['UNAUTHENTICATED']);
    expect(wrong.cookie).toBeNull();
  });

  it('lets refreshSession run on the cookie alone, rotating it', async () => {
    const first = (await signUp(server, 'Bea')).cookie?.value ?? '';
    const refreshed = await refreshWithCookie(server, first);
    const pair = refreshed.body.data?.refreshSession;
    expect(pair?.user.name).toBe('Bea');
    expect(refreshed.cookie?.value).toBe(pair?.refreshToken);
    expect(refreshed.cookie?.value).not.toBe(first);
    expect(refreshed.cookie?.attributes['max-age']).toBe(String(REFRESH_TTL_SECONDS));
    const me = await server.gql<{ me: { name: string } }>('{ me { name } }', {}, pair?.accessToken);
    expect(me.data?.me.name).toBe('Bea');

    // And again with the rotated cookie: each one works once.
    const again = await refreshWithCookie(server, refreshed.cookie?.value);
    expect(again.body.data?.refreshSession.user.name).toBe('Bea');
  });

  it('revokes the family when a rotated cookie is replayed, and clears the cookie', async () => {
    const stolen = (await signUp(server, 'Cleo')).cookie?.value ?? '';
    const current = (await refreshWithCookie(server, stolen)).cookie?.value ?? '';

    const replay = await refreshWithCookie(server, stolen);
    expect(errorCodes(replay.body)).toEqual(['UNAUTHENTICATED']);
    expect(replay.body.errors?.[0]?.message).toMatch(/already used/);
    expectCleared(replay.cookie);

    // The legitimate holder's newer cookie died with the family.
    const victim = await refreshWithCookie(server, current);
    expect(errorCodes(victim.body)).toEqual(['UNAUTHENTICATED']);
    expectCleared(victim.cookie);
  });

  it('answers UNAUTHENTICATED without a token or cookie, and sets nothing', async () => {
    const bare = await refreshWithCookie(server);
    expect(bare.status).toBe(200);
    expect(errorCodes(bare.body)).toEqual(['UNAUTHENTICATED']);
    expect(bare.cookie).toBeNull();

    const unknown = await refreshWithCookie(server, 'not-a-token-we-issued');
    expect(errorCodes(unknown.body)).toEqual(['UNAUTHENTICATED']);
    expectCleared(unknown.cookie);
  });

  it('prefers the argument over the cookie (non-browser clients)', async () => {
    const dee = (await signUp(server, 'Dee')).body.data?.signUp.refreshToken ?? '';
    const eve = (await signUp(server, 'Eve')).cookie?.value ?? '';
    const result = await post<{ refreshSession: AuthPayload }>(
      server,
      `mutation ($token: String) { refreshSession(refreshToken: $token) { ${AUTH_FIELDS} } }`,
      { token: dee },
      { cookie: eve },
    );
    expect(result.body.data?.refreshSession.user.name).toBe('Dee');
    expect(result.cookie?.value).toBe(result.body.data?.refreshSession.refreshToken);
    // Eve's cookie was not consumed.
    expect((await refreshWithCookie(server, eve)).body.data?.refreshSession.user.name).toBe('Eve');
  });

  it('logs out through the cookie: the session is revoked and the cookie cleared', async () => {
    const cookie = (await signUp(server, 'Fay')).cookie?.value ?? '';
    const loggedOut = await post<{ logOut: boolean }>(
      server,
      'mutation { logOut }',
      {},
      { cookie },
    );
    expect(loggedOut.body.data?.logOut).toBe(true);
    expectCleared(loggedOut.cookie);
    expect(errorCodes((await refreshWithCookie(server, cookie)).body)).toEqual(['UNAUTHENTICATED']);

    // With neither argument nor cookie there is nothing to revoke, but the cookie still clears.
    const nothing = await post<{ logOut: boolean }>(server, 'mutation { logOut }');
    expect(nothing.body.data?.logOut).toBe(false);
    expectCleared(nothing.cookie);
  });

  it('reads the cookie only from JSON POSTs (CSRF: forms cannot send those cross-origin)', async () => {
    const cookie = (await signUp(server, 'Gus')).cookie?.value ?? '';
    const form = await server.app.yoga.fetch('http://parley.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        cookie: `${REFRESH_COOKIE_NAME}=${cookie}`,
      },
      body: new URLSearchParams({ query: 'mutation { logOut }' }).toString(),
    });
    const forged = await exchange<{ logOut: boolean }>(form);
    expect(forged.body.data?.logOut).toBe(false);
    // The session survived the forged request.
    expect((await refreshWithCookie(server, cookie)).body.data?.refreshSession.user.name).toBe(
      'Gus',
    );
  });

  it('never allows credentials cross-origin (CORS)', async () => {
    const preflight = await server.app.yoga.fetch('http://parley.test/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://sibling.parley.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://sibling.parley.test');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const cross = await post(
      server,
      'mutation { logOut }',
      {},
      {
        headers: { origin: 'http://sibling.parley.test' },
      },
    );
    expect(cross.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('is Secure on https requests, and behind a trusted proxy that says https', async () => {
    const https = await signUp(server, 'Hal', { url: 'https://parley.test/graphql' });
    expect(https.cookie?.attributes['secure']).toBe('');
    // This server does not trust proxies: the header alone changes nothing.
    const spoofed = await signUp(server, 'Ida', { headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.cookie?.attributes).not.toHaveProperty('secure');

    await using proxied = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    const forwarded = await signUp(proxied, 'Jo', { headers: { 'x-forwarded-proto': 'https' } });
    expect(forwarded.cookie?.attributes['secure']).toBe('');
  });

  it('is always Secure in production', async () => {
    await using production = await startTestServer({ env: { NODE_ENV: 'production' } });
    const signedUp = await signUp(production, 'Kim');
    expect(signedUp.cookie?.attributes['secure']).toBe('');
  });
});
