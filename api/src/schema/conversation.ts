import { requireViewer } from '../app/context.ts';
import type { Conversation } from '../domain/model.ts';
import { builder } from './builder.ts';
import { MessageConnection, MessageRef, toMessageConnection } from './message.ts';
import { type ConnectionShape, type EdgeShape, PageInfo } from './pagination.ts';
import { ReadMarkRef } from './read-mark.ts';
import { UserRef } from './user.ts';

const ConversationKind = builder.enumType('ConversationKind', {
  values: ['DIRECT', 'GROUP'] as const,
});

/** A direct or group conversation; every field is for members only. */
export const ConversationRef = builder.objectRef<Conversation>('Conversation').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: ConversationKind, resolve: (conversation) => conversation.kind }),
    title: t.exposeString('title', { nullable: true }),
    members: t.field({
      type: [UserRef],
      resolve: async (conversation, _args, context) => {
        const users = await context.loaders.users.loadMany(conversation.memberIds);
        return users.filter((user) => user !== null);
      },
    }),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime' }),
    lastMessage: t.field({
      type: MessageRef,
      nullable: true,
      resolve: (conversation, _args, context) =>
        context.services.conversations.lastMessage(conversation.id),
    }),
    lastReadSeq: t.int({
      description: 'Your read mark: messages with seq up to it count as read.',
      resolve: (conversation, _args, context) =>
        context.services.conversations.lastReadSeq(conversation.id, requireViewer(context).userId),
    }),
    readMarks: t.field({
      type: [ReadMarkRef],
      description:
        "Every member's read mark, yours included; members who have read nothing are left out. Live changes arrive as ReadUpTo.",
      resolve: (conversation, _args, context) =>
        context.services.conversations.readMarks(requireViewer(context).userId, conversation),
    }),
    unreadCount: t.int({
      description: "Other people's messages above your read mark.",
      resolve: (conversation, _args, context) =>
        context.services.conversations.unreadCount(conversation.id, requireViewer(context).userId),
    }),
    messages: t.field({
      type: MessageConnection,
      description: 'History, oldest to newest within a page; `before` is a cursor from a page.',
      args: {
        last: t.arg.int({ defaultValue: 50 }),
        before: t.arg.string(),
      },
      resolve: async (conversation, args, context) =>
        toMessageConnection(
          await context.services.messages.history(conversation.id, args.last, args.before),
        ),
    }),
  }),
});

const ConversationEdge = builder.objectRef<EdgeShape<Conversation>>('ConversationEdge').implement({
  fields: (t) => ({
    node: t.field({ type: ConversationRef, resolve: (edge) => edge.node }),
    cursor: t.exposeString('cursor'),
  }),
});

const ConversationConnection = builder
  .objectRef<ConnectionShape<Conversation>>('ConversationConnection')
  .implement({
    fields: (t) => ({
      edges: t.field({ type: [ConversationEdge], resolve: (connection) => connection.edges }),
      pageInfo: t.field({ type: PageInfo, resolve: (connection) => connection.pageInfo }),
    }),
  });

const CreateGroupInput = builder.inputType('CreateGroupInput', {
  fields: (t) => ({
    title: t.string({ required: true }),
    memberIds: t.idList({ required: true, description: 'Everyone but you; you are added.' }),
  }),
});

builder.queryFields((t) => ({
  conversations: t.field({
    type: ConversationConnection,
    description: 'Your conversations, most recent activity first.',
    args: { first: t.arg.int({ defaultValue: 20 }), after: t.arg.string() },
    resolve: async (_root, args, context) => {
      const { conversations } = context.services;
      const page = await conversations.list(requireViewer(context).userId, args.first, args.after);
      const edges = page.items.map((node) => ({ node, cursor: conversations.cursorOf(node) }));
      return {
        edges,
        pageInfo: {
          hasNextPage: page.hasMore,
          hasPreviousPage: false,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
  conversation: t.field({
    type: ConversationRef,
    nullable: true,
    description: 'A conversation you belong to (NOT_FOUND or FORBIDDEN otherwise).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) =>
      context.services.conversations.requireMember(requireViewer(context).userId, args.id),
  }),
}));

builder.mutationFields((t) => ({
  openDirectConversation: t.field({
    type: ConversationRef,
    description: 'The one conversation between you and this user, created on first use.',
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, args, context) =>
      context.services.conversations.openDirect(requireViewer(context).userId, args.userId),
  }),
  createGroupConversation: t.field({
    type: ConversationRef,
    args: { input: t.arg({ type: CreateGroupInput, required: true }) },
    resolve: (_root, args, context) =>
      context.services.conversations.createGroup(requireViewer(context).userId, args.input),
  }),
  setTyping: t.boolean({
    description: 'Starts or stops your typing indicator; it also ends by itself shortly.',
    args: {
      conversationId: t.arg.id({ required: true }),
      typing: t.arg.boolean({ required: true }),
    },
    resolve: (_root, args, context) =>
      context.services.typing.set(requireViewer(context).userId, args.conversationId, args.typing),
  }),
  markRead: t.field({
    type: ConversationRef,
    description: 'Moves your read mark forward to `seq` (never back).',
    args: {
      conversationId: t.arg.id({ required: true }),
      seq: t.arg.int({ required: true }),
    },
    resolve: (_root, args, context) =>
      context.services.conversations.markRead(
        requireViewer(context).userId,
        args.conversationId,
        args.seq,
      ),
  }),
}));
