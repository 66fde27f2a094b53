import jwt from 'jsonwebtoken';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectRaw,
  errorCodes,
  signUp,
  startTestServer,
  TEST_JWT_SECRET,
  type TestServer,
} from '../support/server.ts';

const AUTH_FIELDS = 'accessToken refreshToken user { id name email }';

function refresh(server: TestServer, refreshToken: string) {
  return server.gql<{ refreshSession: { accessToken: string; refreshToken: string } }>(
    `mutation ($token: String!) { refreshSession(refreshToken: $token) { ${AUTH_FIELDS} } }`,
    { token: refreshToken },
  );
}

function me(server: TestServer, token?: string) {
  return server.gql<{ me: { id: string; email: string | null } }>('{ me { id email } }', {}, token);
}

/** A token signed with the server's secret but already expired. */
function expiredToken(userId: string): string {
  const past = Math.floor(Date.now() / 1000) - 3600;
  return jwt.sign({ sub: userId, iat: past - 900, exp: past }, TEST_JWT_SECRET, {
    algorithm: 'HS256',
    issuer: 'parley',
    audience: 'parley-api',
  });
}

describe('auth', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('signs up, logs in, and shows the email only to its owner', async () => {
    const ann = await signUp(server, 'Ann');
    const login = await server.gql<{
      logIn: { accessToken: string; user: { id: string; name: string; email: string } };
    }>(`mutation ($input: LogInInput!) { logIn(input: $input) { ${AUTH_FIELDS} } }`, {
      input: { email: ann.email.toUpperCase(), password: 'correct horse battery' },
    });
    expect(login.data?.logIn.user).toEqual({ id: ann.id, name: 'Ann', email: ann.email });
    const self = await me(server, login.data?.logIn.accessToken);
    expect(self.data?.me).toEqual({ id: ann.id, email: ann.email });

    const ben = await signUp(server, 'Ben');
    const search = await server.gql<{ searchUsers: { id: string; email: string | null }[] }>(
      '{ searchUsers(query: "ann") { id email } }',
      {},
      ben.accessToken,
    );
    expect(search.data?.searchUsers).toEqual([{ id: ann.id, email: null }]);
  });

  it('refuses wrong passwords, duplicate emails and weak input with clear codes', async () => {
    const ann = await signUp(server, 'Ann');
    const wrong = await server.gql(
      'mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }',
      { input: { email: ann.email, password: 'not the password' } },
    );
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    const unknown = await server.gql(
      'mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }',
      { input: { email: 'nobody@example.test', password: 'whatever123' } },
    );
    expect(errorCodes(unknown)).toEqual(['UNAUTHENTICATED']);

    const signUpAgain = (input: Record<string, string>) =>
      server.gql('mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }', {
        input,
      });
    expect(
      errorCodes(await signUpAgain({ email: ann.email, password: 'long enough 1', name: 'A' })),
    ).toEqual(['CONFLICT']);
    expect(
      errorCodes(await signUpAgain({ email: 'not-an-email', password: 'long enough', name: 'A' })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(await signUpAgain({ email: 'x@example.test', password: 'short', name: 'A' })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(
        await signUpAgain({ email: 'y@example.test', password: 'long enough', name: ' ' }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('rejects missing, forged and expired tokens over HTTP', async () => {
    const ann = await signUp(server, 'Ann');
    expect(errorCodes(await me(server))).toEqual(['UNAUTHENTICATED']);
    const forged = jwt.sign({ sub: ann.id }, 'some other secret that is long enough!!', {
      algorithm: 'HS256',
      issuer: 'parley',
      audience: 'parley-api',
      expiresIn: 900,
    });
    expect(errorCodes(await me(server, forged))).toEqual(['UNAUTHENTICATED']);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: ann.id, iss: 'parley', aud: 'parley-api' }),
    ).toString('base64url')}.`;
    expect(errorCodes(await me(server, none))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await me(server, expiredToken(ann.id)))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await me(server, 'garbage'))).toEqual(['UNAUTHENTICATED']);
    // The server keeps serving.
    expect((await me(server, ann.accessToken)).data?.me.id).toBe(ann.id);
  });

  it('rotates refresh tokens and revokes the family when a rotated one is reused', async () => {
    const ann = await signUp(server, 'Ann');
    const first = await refresh(server, ann.refreshToken);
    const second = first.data?.refreshSession;
    expect(second?.refreshToken).toBeDefined();
    expect(second?.refreshToken).not.toBe(ann.refreshToken);
    expect((await me(server, second?.accessToken)).data?.me.id).toBe(ann.id);

    // The old token again: theft is assumed and the whole family dies.
    expect(errorCodes(await refresh(server, ann.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await refresh(server, second?.refreshToken ?? ''))).toEqual([
      'UNAUTHENTICATED',
    ]);

    // A separate log-in is a separate family and still works.
    const other = await server.gql<{ logIn: { refreshToken: string } }>(
      'mutation ($input: LogInInput!) { logIn(input: $input) { refreshToken } }',
      { input: { email: ann.email, password: 'correct horse battery' } },
    );
    const again = await refresh(server, other.data?.logIn.refreshToken ?? '');
    expect(again.errors).toBeUndefined();
  });

  it('lets exactly one of two concurrent refreshes with one token win', async () => {
    const ann = await signUp(server, 'Ann');
    const results = await Promise.all([
      refresh(server, ann.refreshToken),
      refresh(server, ann.refreshToken),
    ]);
    expect(results.filter((result) => result.data?.refreshSession)).toHaveLength(1);
  });

  it('logs out by revoking the refresh token family', async () => {
    const ann = await signUp(server, 'Ann');
    const out = await server.gql<{ logOut: boolean }>(
      'mutation ($token: String!) { logOut(refreshToken: $token) }',
      { token: ann.refreshToken },
    );
    expect(out.data?.logOut).toBe(true);
    expect(errorCodes(await refresh(server, ann.refreshToken))).toEqual(['UNAUTHENTICATED']);
  });

  it('closes sockets with 4403 for forged or expired tokens at connection_init', async () => {
    const ann = await signUp(server, 'Ann');
    expect((await connectRaw(server.wsUrl, { authorization: 'Bearer forged' })).code).toBe(4403);
    const expired = await connectRaw(server.wsUrl, {
      authorization: `Bearer ${expiredToken(ann.id)}`,
    });
    expect(expired).toMatchObject({ code: 4403, acknowledged: false });
    const good = await connectRaw(server.wsUrl, { authorization: `Bearer ${ann.accessToken}` });
    expect(good.acknowledged).toBe(true);
    good.socket.close();
  });

  it('closes a socket with 4403 when its token expired before a subscribe', async () => {
    const ann = await signUp(server, 'Ann');
    const { socket, acknowledged } = await connectRaw(server.wsUrl, {
      authorization: `Bearer ${ann.accessToken}`,
    });
    expect(acknowledged).toBe(true);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    server.clock.advance(16 * 60_000);
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: 'subscription { inbox { __typename } }' },
      }),
    );
    expect(await closed).toBe(4403);
    // The server keeps serving.
    expect((await me(server, (await signUp(server, 'Ben')).accessToken)).errors).toBeUndefined();
  });

  it('limits signUp and logIn per client address with RATE_LIMITED and retryAfter', async () => {
    await server.close();
    server = await startTestServer({
      env: { RATE_LIMIT_SIGN_UP: '2/1h', RATE_LIMIT_LOG_IN: '3/1h' },
    });
    const ann = await signUp(server, 'Ann');
    await signUp(server, 'Ben');
    const third = await server.gql(
      'mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }',
      { input: { email: 'c@example.test', password: 'long enough', name: 'C' } },
    );
    expect(errorCodes(third)).toEqual(['RATE_LIMITED']);
    expect(third.errors?.[0]?.extensions?.['retryAfter']).toBeGreaterThan(0);

    const logIn = () =>
      server.gql('mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }', {
        input: { email: ann.email, password: 'wrong password' },
      });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(...errorCodes(await logIn()));
    expect(codes).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'RATE_LIMITED',
    ]);
    // Other operations keep working.
    expect((await me(server, ann.accessToken)).data?.me.id).toBe(ann.id);
  });
});
