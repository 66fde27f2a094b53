import { requireViewer } from '../app/context.ts';
import type { Message } from '../domain/model.ts';
import type { MessagePage } from '../services/messages.ts';
import { builder } from './builder.ts';
import { loadUser } from './loading.ts';
import { type ConnectionShape, type EdgeShape, PageInfo } from './pagination.ts';
import { UserRef } from './user.ts';

const MessageKind = builder.enumType('MessageKind', {
  values: ['USER', 'ASSISTANT', 'SYSTEM'] as const,
});

const MessageStatus = builder.enumType('MessageStatus', {
  values: ['SENT', 'STREAMING', 'COMPLETE', 'FAILED', 'CANCELLED'] as const,
});

/** A message in a conversation. */
export const MessageRef = builder.objectRef<Message>('Message').implement({
  description: 'A message; `seq` orders it within its conversation.',
  fields: (t) => ({
    id: t.exposeID('id'),
    clientId: t.exposeID('clientId', {
      nullable: true,
      description: "The sender's idempotency key.",
    }),
    conversationId: t.exposeID('conversationId'),
    seq: t.exposeInt('seq', {
      description: 'Strictly increasing within the conversation; gaps are allowed.',
    }),
    sender: t.field({
      type: UserRef,
      nullable: true,
      description: 'Null for SYSTEM messages.',
      resolve: (message, _args, context) =>
        message.senderId === null ? null : loadUser(context, message.senderId),
    }),
    kind: t.field({ type: MessageKind, resolve: (message) => message.kind }),
    body: t.exposeString('body'),
    status: t.field({ type: MessageStatus, resolve: (message) => message.status }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why the message FAILED, when it did.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const MessageEdge = builder.objectRef<EdgeShape<Message>>('MessageEdge').implement({
  fields: (t) => ({
    node: t.field({ type: MessageRef, resolve: (edge) => edge.node }),
    cursor: t.exposeString('cursor'),
  }),
});

/** A page of history, oldest to newest; cursors are message seqs. */
export const MessageConnection = builder
  .objectRef<ConnectionShape<Message>>('MessageConnection')
  .implement({
    fields: (t) => ({
      edges: t.field({ type: [MessageEdge], resolve: (connection) => connection.edges }),
      pageInfo: t.field({ type: PageInfo, resolve: (connection) => connection.pageInfo }),
    }),
  });

/** Turns a history page into a backward Relay connection. */
export function toMessageConnection(page: MessagePage): ConnectionShape<Message> {
  const edges = page.messages.map((node) => ({ node, cursor: String(node.seq) }));
  return {
    edges,
    pageInfo: {
      hasPreviousPage: page.hasPrevious,
      // Paging runs backwards from the newest message; newer ones arrive by subscription.
      hasNextPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

const SendMessageInput = builder.inputType('SendMessageInput', {
  fields: (t) => ({
    conversationId: t.id({ required: true }),
    body: t.string({ required: true }),
    clientId: t.id({
      required: true,
      description: 'Chosen by the client; a retry with the same value never sends twice.',
    }),
  }),
});

builder.mutationField('sendMessage', (t) =>
  t.field({
    type: MessageRef,
    description: 'Sends a message; it is durable when this returns. Idempotent by clientId.',
    args: { input: t.arg({ type: SendMessageInput, required: true }) },
    resolve: (_root, args, context) =>
      context.services.messages.send(requireViewer(context).userId, args.input),
  }),
);
