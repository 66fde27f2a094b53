import type { ConversationId, Message, UserId } from '../domain/model.ts';

/** Events on a conversation's stream, as delivered to its members. */
export type ConversationEvent =
  | { readonly type: 'MessageAdded'; readonly message: Message }
  | { readonly type: 'MessageUpdated'; readonly message: Message }
  | { readonly type: 'TypingChanged'; readonly userId: UserId; readonly typing: boolean }
  | { readonly type: 'ReadUpTo'; readonly userId: UserId; readonly seq: number }
  | { readonly type: 'ResyncRequired'; readonly latestSeq: number };

/** Events on a user's inbox stream. */
export type InboxEvent =
  | {
      readonly type: 'ConversationActivity';
      readonly conversationId: ConversationId;
      readonly message: Message | null;
    }
  | { readonly type: 'PresenceChanged'; readonly userId: UserId; readonly online: boolean };

/**
 * Control of one assistant reply, scoped by the reply's message id, so that a cancel reaches
 * whichever API instance streams the reply: a member asks, the streaming instance answers
 * with the settled reply (or refuses a non-member).
 */
export type AssistantControlEvent =
  | { readonly type: 'CancelRequested'; readonly requestedBy: UserId }
  | { readonly type: 'Settled'; readonly message: Message }
  | { readonly type: 'Refused'; readonly requestedBy: UserId };

/**
 * The one typed topic map. Every topic is scoped by an id (conversation, user or message), maps to
 * one channel per id, and is both published and subscribed.
 */
export interface TopicMap {
  readonly 'conversation:event': ConversationEvent;
  readonly 'inbox:event': InboxEvent;
  readonly 'assistant:control': AssistantControlEvent;
}

export type Topic = keyof TopicMap;
