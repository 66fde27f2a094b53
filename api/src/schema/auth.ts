import type { Context } from '../app/context.ts';
import { REFRESH_COOKIE_NAME } from '../app/cookies.ts';
import type { AuthResult } from '../services/auth.ts';
import { DomainError, unauthenticated } from '../services/errors.ts';
import { builder } from './builder.ts';
import { asSelf, UserRef } from './user.ts';

const AuthPayload = builder.objectRef<AuthResult>('AuthPayload').implement({
  description: 'A short-lived access token, a single-use refresh token, and who they are for.',
  fields: (t) => ({
    accessToken: t.exposeString('accessToken'),
    refreshToken: t.exposeString('refreshToken', {
      description: `For non-browser clients. Over HTTP the same token is also set as the httpOnly \`${REFRESH_COOKIE_NAME}\` cookie, so browsers need not select it.`,
    }),
    user: t.field({ type: UserRef, resolve: (payload) => asSelf(payload.user) }),
  }),
});

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true, description: 'At least 8 characters.' }),
    name: t.string({ required: true }),
  }),
});

const LogInInput = builder.inputType('LogInInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    resolve: async (_root, args, context) =>
      withCookie(context, await context.services.auth.signUp(args.input, context.clientAddress)),
  }),
  logIn: t.field({
    type: AuthPayload,
    args: { input: t.arg({ type: LogInInput, required: true }) },
    resolve: async (_root, args, context) =>
      withCookie(context, await context.services.auth.logIn(args.input, context.clientAddress)),
  }),
  refreshSession: t.field({
    type: AuthPayload,
    description: `Trades a refresh token for a new pair; reusing an old one revokes the session. Without the argument, the \`${REFRESH_COOKIE_NAME}\` cookie is used (browsers; JSON POSTs over HTTP only).`,
    args: { refreshToken: t.arg.string() },
    resolve: async (_root, args, context) => {
      const token = presentedToken(args.refreshToken, context);
      try {
        return withCookie(context, await context.services.auth.refresh(token));
      } catch (error) {
        // A refused cookie is dead (expired, revoked, or reused): stop the browser sending it.
        if (args.refreshToken == null && isUnauthenticated(error)) context.refreshCookie?.clear();
        throw error;
      }
    },
  }),
  logOut: t.boolean({
    description: `Revokes the refresh token's session (the \`${REFRESH_COOKIE_NAME}\` cookie's without the argument) and clears the cookie; false if the token was unknown or already revoked.`,
    args: { refreshToken: t.arg.string() },
    resolve: async (_root, args, context) => {
      const token = args.refreshToken ?? context.refreshCookie?.token ?? null;
      context.refreshCookie?.clear();
      return token === null ? false : context.services.auth.logOut(token);
    },
  }),
}));

/** Sets the new refresh token as the request's cookie (over HTTP), and passes the result on. */
function withCookie(context: Context, result: AuthResult): AuthResult {
  context.refreshCookie?.set(result.refreshToken);
  return result;
}

/** The argument when given, else the cookie; UNAUTHENTICATED when there is neither. */
function presentedToken(argument: string | null | undefined, context: Context): string {
  const token = argument ?? context.refreshCookie?.token ?? null;
  if (token === null) {
    throw unauthenticated('No refresh token: pass refreshToken or send the cookie');
  }
  return token;
}

function isUnauthenticated(error: unknown): boolean {
  return error instanceof DomainError && error.code === 'UNAUTHENTICATED';
}
