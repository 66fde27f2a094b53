import { requireViewer } from '../app/context.ts';
import type { User } from '../domain/model.ts';
import { builder } from './builder.ts';

/**
 * Marks a user object as the caller themself where the context cannot know it yet: the
 * `user` of signUp/logIn/refreshSession, whose request carried no access token.
 */
const SELF = Symbol('self');

/** A user as returned to the person who just authenticated as them. */
export function asSelf(user: User): User {
  return Object.assign({ [SELF]: true }, user);
}

/** A person; email is shown only to the user themself. */
export const UserRef = builder.objectRef<User>('User').implement({
  description: 'A person using Parley.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    email: t.string({
      nullable: true,
      description: 'Visible to the user themself only; null for everyone else.',
      resolve: (user, _args, context) =>
        context.viewer?.userId === user.id || SELF in user ? user.email : null,
    }),
    online: t.boolean({
      description: 'True while the user has at least one open connection.',
      resolve: (user, _args, context) => context.loaders.online.load(user.id),
    }),
  }),
});

builder.queryFields((t) => ({
  me: t.field({
    type: UserRef,
    description: 'The signed-in user.',
    resolve: (_root, _args, context) => context.services.users.get(requireViewer(context).userId),
  }),
  searchUsers: t.field({
    type: [UserRef],
    description: 'People whose name or email starts with `query`, yourself excluded.',
    args: {
      query: t.arg.string({ required: true }),
      first: t.arg.int({ defaultValue: 20 }),
    },
    resolve: (_root, args, context) =>
      context.services.users.search(requireViewer(context).userId, args.query, args.first),
  }),
}));
