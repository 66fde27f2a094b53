import { requireViewer } from '../app/context.ts';
import type { Contact } from '../domain/model.ts';
import { builder } from './builder.ts';
import { loadUser } from './loading.ts';
import { UserRef } from './user.ts';

const ContactRef = builder.objectRef<Contact>('Contact').implement({
  description: 'Someone in your address book.',
  fields: (t) => ({
    user: t.field({
      type: UserRef,
      resolve: (contact, _args, context) => loadUser(context, contact.userId),
    }),
    nickname: t.exposeString('nickname', { nullable: true }),
  }),
});

const AddContactInput = builder.inputType('AddContactInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    nickname: t.string(),
  }),
});

builder.queryField('contacts', (t) =>
  t.field({
    type: [ContactRef],
    description: 'Your contacts.',
    resolve: (_root, _args, context) =>
      context.services.contacts.list(requireViewer(context).userId),
  }),
);

builder.mutationFields((t) => ({
  addContact: t.field({
    type: ContactRef,
    description:
      'Adds the user with this email to your contacts (updates the nickname if present).',
    args: { input: t.arg({ type: AddContactInput, required: true }) },
    resolve: (_root, args, context) =>
      context.services.contacts.add(requireViewer(context).userId, args.input),
  }),
  renameContact: t.field({
    type: ContactRef,
    args: {
      userId: t.arg.id({ required: true }),
      nickname: t.arg.string({ required: true }),
    },
    resolve: (_root, args, context) =>
      context.services.contacts.rename(requireViewer(context).userId, args.userId, args.nickname),
  }),
}));
