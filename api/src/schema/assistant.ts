import { requireViewer } from '../app/context.ts';
import { builder } from './builder.ts';
import { MessageRef } from './message.ts';

builder.mutationField('cancelAssistantReply', (t) =>
  t.field({
    type: MessageRef,
    description:
      'Stops a streaming assistant reply (any member may): the model request is aborted and ' +
      'the reply ends CANCELLED with the text so far. A reply already over comes back as it is.',
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (_root, args, context) =>
      context.services.assistant.cancel(requireViewer(context).userId, args.messageId),
  }),
);
