import type { ConversationEventsSubscription } from '../gql/graphql.ts';

/** One `conversationEvents` payload as the app receives it. */
export type ConversationEvent = ConversationEventsSubscription['conversationEvents'];

/**
 * What a chat view folds out of its event stream besides messages (which the cache
 * holds): who is typing, how far each member has read, and how often the server asked
 * for a resync.
 */
export interface LiveState {
  /** Names of other members who are typing now, by user id. */
  readonly typing: Readonly<Record<string, string>>;
  /** The highest seq each member has read, by user id. */
  readonly readSeqs: Readonly<Record<string, number>>;
  /** Bumped on every ResyncRequired, so the view refetches. */
  readonly resyncs: number;
}

export const initialLiveState: LiveState = { typing: {}, readSeqs: {}, resyncs: 0 };

/** Pure reducer from one event to the next state; the viewer's own typing is ignored. */
export function reduceLiveEvent(
  state: LiveState,
  event: ConversationEvent,
  viewerId: string,
): LiveState {
  switch (event.__typename) {
    case 'TypingChanged': {
      if (event.user.id === viewerId) return state;
      return {
        ...state,
        typing: withTyping(state.typing, event.user.id, event.user.name, event.typing),
      };
    }
    case 'MessageAdded': {
      // Someone who just sent a message has stopped typing it.
      const senderId = event.message.sender?.id;
      if (!senderId || !(senderId in state.typing)) return state;
      return { ...state, typing: withTyping(state.typing, senderId, '', false) };
    }
    case 'ReadUpTo': {
      const current = state.readSeqs[event.user.id] ?? 0;
      if (event.seq <= current) return state;
      return { ...state, readSeqs: { ...state.readSeqs, [event.user.id]: event.seq } };
    }
    case 'ResyncRequired':
      return { ...state, resyncs: state.resyncs + 1 };
    default:
      return state;
  }
}

function withTyping(
  typing: Readonly<Record<string, string>>,
  userId: string,
  name: string,
  isTyping: boolean,
): Readonly<Record<string, string>> {
  if (isTyping) return typing[userId] === name ? typing : { ...typing, [userId]: name };
  if (!(userId in typing)) return typing;
  const { [userId]: _removed, ...rest } = typing;
  return rest;
}

/** "Bob is typing…", "Bob and Carol are typing…", or null. */
export function typingText(typing: Readonly<Record<string, string>>): string | null {
  const names = Object.values(typing);
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

/** A stored read mark as the conversation query returns it. */
export interface ReadMarkInput {
  readonly seq: number;
  readonly user: { readonly id: string };
}

/**
 * The live read seqs with the stored marks folded in, the higher one winning per member:
 * the stored marks cover reads from before the chat was opened, live `ReadUpTo` events
 * everything after, whichever of the two arrived first.
 */
export function withReadMarks(
  readSeqs: Readonly<Record<string, number>>,
  marks: readonly ReadMarkInput[],
): Readonly<Record<string, number>> {
  let merged = readSeqs;
  for (const mark of marks) {
    if (mark.seq <= (merged[mark.user.id] ?? 0)) continue;
    merged = { ...merged, [mark.user.id]: mark.seq };
  }
  return merged;
}

/** Ids of other members who have read up to at least `seq`. */
export function readersOf(
  readSeqs: Readonly<Record<string, number>>,
  seq: number,
  viewerId: string,
) {
  return Object.entries(readSeqs)
    .filter(([userId, readSeq]) => userId !== viewerId && readSeq >= seq)
    .map(([userId]) => userId);
}
