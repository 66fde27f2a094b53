import { requireViewer } from '../app/context.ts';
import type { ConversationEvent, InboxEvent } from '../ports/events.ts';
import { builder } from './builder.ts';
import { ConversationRef } from './conversation.ts';
import { loadConversation, loadUser } from './loading.ts';
import { MessageRef } from './message.ts';
import { UserRef } from './user.ts';

type Variant<U, T> = Extract<U, { readonly type: T }>;

const MessageAdded = builder
  .objectRef<Variant<ConversationEvent, 'MessageAdded'>>('MessageAdded')
  .implement({
    fields: (t) => ({ message: t.field({ type: MessageRef, resolve: (event) => event.message }) }),
  });

const MessageUpdated = builder
  .objectRef<Variant<ConversationEvent, 'MessageUpdated'>>('MessageUpdated')
  .implement({
    fields: (t) => ({ message: t.field({ type: MessageRef, resolve: (event) => event.message }) }),
  });

const TypingChanged = builder
  .objectRef<Variant<ConversationEvent, 'TypingChanged'>>('TypingChanged')
  .implement({
    fields: (t) => ({
      user: t.field({
        type: UserRef,
        resolve: (event, _args, context) => loadUser(context, event.userId),
      }),
      typing: t.exposeBoolean('typing'),
    }),
  });

const ReadUpTo = builder.objectRef<Variant<ConversationEvent, 'ReadUpTo'>>('ReadUpTo').implement({
  fields: (t) => ({
    user: t.field({
      type: UserRef,
      resolve: (event, _args, context) => loadUser(context, event.userId),
    }),
    seq: t.exposeInt('seq'),
  }),
});

const ResyncRequired = builder
  .objectRef<Variant<ConversationEvent, 'ResyncRequired'>>('ResyncRequired')
  .implement({
    description:
      'Too many messages were missed to replay: reload history, then resubscribe with afterSeq: latestSeq.',
    fields: (t) => ({ latestSeq: t.exposeInt('latestSeq') }),
  });

const ConversationEventUnion = builder.unionType('ConversationEvent', {
  types: [MessageAdded, MessageUpdated, TypingChanged, ReadUpTo, ResyncRequired],
  resolveType: (event) => event.type,
});

const ConversationActivity = builder
  .objectRef<Variant<InboxEvent, 'ConversationActivity'>>('ConversationActivity')
  .implement({
    description:
      'Something happened in one of your conversations (a new message, or it was created).',
    fields: (t) => ({
      conversation: t.field({
        type: ConversationRef,
        resolve: (event, _args, context) => loadConversation(context, event.conversationId),
      }),
      message: t.field({ type: MessageRef, nullable: true, resolve: (event) => event.message }),
    }),
  });

const PresenceChanged = builder
  .objectRef<Variant<InboxEvent, 'PresenceChanged'>>('PresenceChanged')
  .implement({
    fields: (t) => ({
      user: t.field({
        type: UserRef,
        resolve: (event, _args, context) => loadUser(context, event.userId),
      }),
      online: t.exposeBoolean('online'),
    }),
  });

const InboxEventUnion = builder.unionType('InboxEvent', {
  types: [ConversationActivity, PresenceChanged],
  resolveType: (event) => event.type,
});

builder.subscriptionFields((t) => ({
  conversationEvents: t.field({
    type: ConversationEventUnion,
    description:
      'Events of a conversation you belong to. With afterSeq, first every message after it, in order, then live events.',
    args: {
      conversationId: t.arg.id({ required: true }),
      afterSeq: t.arg.int(),
    },
    subscribe: (_root, args, context) =>
      context.services.events.conversationEvents(
        requireViewer(context),
        args.conversationId,
        args.afterSeq,
      ),
    resolve: (event) => event,
  }),
  inbox: t.field({
    type: InboxEventUnion,
    description: "Activity in your conversations and your contacts' presence.",
    subscribe: (_root, _args, context) => context.services.events.inbox(requireViewer(context)),
    resolve: (event) => event,
  }),
}));
