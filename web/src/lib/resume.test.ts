import { describe, expect, it } from 'vitest';
import { advanceAfterSeq, type ResumableVariables } from './resume.ts';

const added = (seq: number) => ({
  conversationEvents: { __typename: 'MessageAdded', message: { id: `m${seq}`, seq } },
});

describe('advanceAfterSeq', () => {
  it('moves afterSeq to the newest message seen', () => {
    const variables: ResumableVariables = { conversationId: 'c1', afterSeq: 3 };
    advanceAfterSeq(variables, added(4));
    advanceAfterSeq(variables, added(7));
    expect(variables['afterSeq']).toBe(7);
  });

  it('starts tracking a live-only subscription at its first message', () => {
    const variables: ResumableVariables = { conversationId: 'c1' };
    advanceAfterSeq(variables, added(12));
    expect(variables['afterSeq']).toBe(12);
  });

  it('never moves back for an update to an older message', () => {
    const variables: ResumableVariables = { afterSeq: 9 };
    advanceAfterSeq(variables, {
      conversationEvents: { __typename: 'MessageUpdated', message: { id: 'm5', seq: 5 } },
    });
    expect(variables['afterSeq']).toBe(9);
  });

  it('ignores events without a position and other subscriptions', () => {
    const variables: ResumableVariables = { afterSeq: 2 };
    advanceAfterSeq(variables, {
      conversationEvents: { __typename: 'TypingChanged', typing: true, user: { id: 'u' } },
    });
    advanceAfterSeq(variables, { inbox: { __typename: 'PresenceChanged' } });
    advanceAfterSeq(variables, null);
    expect(variables['afterSeq']).toBe(2);
  });

  it('jumps to the latest seq on ResyncRequired', () => {
    const variables: ResumableVariables = { afterSeq: 2 };
    advanceAfterSeq(variables, {
      conversationEvents: { __typename: 'ResyncRequired', latestSeq: 900 },
    });
    expect(variables['afterSeq']).toBe(900);
  });
});
