import type { ReadMark } from '../domain/model.ts';
import { builder } from './builder.ts';
import { loadUser } from './loading.ts';
import { UserRef } from './user.ts';

/** How far one member has read a conversation. */
export const ReadMarkRef = builder.objectRef<ReadMark>('ReadMark').implement({
  description: "A member's read mark: every message with seq up to it counts as read by them.",
  fields: (t) => ({
    user: t.field({
      type: UserRef,
      resolve: (mark, _args, context) => loadUser(context, mark.userId),
    }),
    seq: t.exposeInt('seq'),
  }),
});
