import type { Context } from '../app/context.ts';
import type { Conversation, ConversationId, User, UserId } from '../domain/model.ts';
import { notFound } from '../services/errors.ts';

/** A user that must exist (a member, sender or contact), through the request's loader. */
export async function loadUser(context: Context, id: UserId): Promise<User> {
  const user = await context.loaders.users.load(id);
  if (!user) throw notFound('User');
  return user;
}

/** A conversation that must exist, through the request's loader. */
export async function loadConversation(
  context: Context,
  id: ConversationId,
): Promise<Conversation> {
  const conversation = await context.loaders.conversations.load(id);
  if (!conversation) throw notFound('Conversation');
  return conversation;
}
