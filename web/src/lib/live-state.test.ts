import { describe, expect, it } from 'vitest';
import type { MessageFieldsFragment } from '../gql/graphql.ts';
import {
  type ConversationEvent,
  initialLiveState,
  readersOf,
  reduceLiveEvent,
  typingText,
  withReadMarks,
} from './live-state.ts';

const viewer = 'alice';
const typing = (id: string, name: string, on: boolean): ConversationEvent => ({
  __typename: 'TypingChanged',
  typing: on,
  user: { id, name },
});
const message = (seq: number, senderId: string): MessageFieldsFragment => ({
  id: `m${seq}`,
  clientId: null,
  conversationId: 'c1',
  seq,
  kind: 'USER',
  body: 'hi',
  status: 'SENT',
  createdAt: '2025-01-01T00:00:00.000Z',
  sender: { id: senderId, name: senderId },
});

describe('reduceLiveEvent', () => {
  it('tracks who else is typing, and forgets them when they stop or send', () => {
    let state = reduceLiveEvent(initialLiveState, typing('bob', 'Bob', true), viewer);
    state = reduceLiveEvent(state, typing('carol', 'Carol', true), viewer);
    expect(typingText(state.typing)).toBe('Bob and Carol are typing…');
    state = reduceLiveEvent(state, typing('carol', 'Carol', false), viewer);
    expect(typingText(state.typing)).toBe('Bob is typing…');
    state = reduceLiveEvent(
      state,
      { __typename: 'MessageAdded', message: message(4, 'bob') },
      viewer,
    );
    expect(typingText(state.typing)).toBeNull();
  });

  it("ignores the viewer's own typing", () => {
    const state = reduceLiveEvent(initialLiveState, typing(viewer, 'Alice', true), viewer);
    expect(state).toBe(initialLiveState);
  });

  it('keeps the highest read seq per member', () => {
    let state = reduceLiveEvent(
      initialLiveState,
      { __typename: 'ReadUpTo', seq: 5, user: { id: 'bob' } },
      viewer,
    );
    state = reduceLiveEvent(state, { __typename: 'ReadUpTo', seq: 3, user: { id: 'bob' } }, viewer);
    expect(state.readSeqs).toEqual({ bob: 5 });
    expect(readersOf(state.readSeqs, 5, viewer)).toEqual(['bob']);
    expect(readersOf(state.readSeqs, 6, viewer)).toEqual([]);
  });

  it('counts resync requests', () => {
    const state = reduceLiveEvent(
      initialLiveState,
      { __typename: 'ResyncRequired', latestSeq: 700 },
      viewer,
    );
    expect(state.resyncs).toBe(1);
  });
});

describe('withReadMarks', () => {
  const mark = (id: string, seq: number) => ({ seq, user: { id } });

  it('seeds receipts from stored marks, the higher of stored and live winning', () => {
    // Bob read up to 4 before the chat was opened; Carol's live ReadUpTo is newer than hers.
    const live = { carol: 9 };
    const merged = withReadMarks(live, [mark('bob', 4), mark('carol', 7), mark(viewer, 9)]);
    expect(merged).toEqual({ bob: 4, carol: 9, [viewer]: 9 });
    expect(readersOf(merged, 4, viewer).sort()).toEqual(['bob', 'carol']);
    expect(readersOf(merged, 5, viewer)).toEqual(['carol']);
  });

  it('returns the live state itself when the stored marks add nothing', () => {
    const live = { bob: 6 };
    expect(withReadMarks(live, [mark('bob', 6)])).toBe(live);
    expect(withReadMarks(live, [])).toBe(live);
  });
});
