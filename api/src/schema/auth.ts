import type { AuthResult } from '../services/auth.ts';
import { builder } from './builder.ts';
import { asSelf, UserRef } from './user.ts';

const AuthPayload = builder.objectRef<AuthResult>('AuthPayload').implement({
  description: 'A short-lived access token, a single-use refresh token, and who they are for.',
  fields: (t) => ({
    accessToken: t.exposeString('accessToken'),
    refreshToken: t.exposeString('refreshToken'),
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
    resolve: (_root, args, context) =>
      context.services.auth.signUp(args.input, context.clientAddress),
  }),
  logIn: t.field({
    type: AuthPayload,
    args: { input: t.arg({ type: LogInInput, required: true }) },
    resolve: (_root, args, context) =>
      context.services.auth.logIn(args.input, context.clientAddress),
  }),
  refreshSession: t.field({
    type: AuthPayload,
    description: 'Trades a refresh token for a new pair; reusing an old one revokes the session.',
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => context.services.auth.refresh(args.refreshToken),
  }),
  logOut: t.boolean({
    description: "Revokes the refresh token's session; false if it was unknown or already revoked.",
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => context.services.auth.logOut(args.refreshToken),
  }),
}));
