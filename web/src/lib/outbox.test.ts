import { describe, expect, it } from 'vitest';
import { createOutbox } from './outbox.ts';

describe('outbox', () => {
  it('goes pending → failed → pending (same clientId) → sent', () => {
    const outbox = createOutbox();
    let changes = 0;
    outbox.subscribe(() => {
      changes += 1;
    });
    outbox.pending({ clientId: 'k1', conversationId: 'c1', body: 'hello' });
    expect(outbox.list('c1')).toMatchObject([{ clientId: 'k1', state: 'pending' }]);

    outbox.failed('k1', 'offline');
    expect(outbox.list('c1')).toMatchObject([
      { clientId: 'k1', state: 'failed', error: 'offline' },
    ]);

    outbox.pending({ clientId: 'k1', conversationId: 'c1', body: 'hello' });
    expect(outbox.list('c1')).toHaveLength(1);
    expect(outbox.list('c1')[0]?.state).toBe('pending');

    outbox.sent('k1');
    expect(outbox.list('c1')).toEqual([]);
    expect(changes).toBe(4);
  });

  it("keeps each conversation's list stable when another one changes", () => {
    const outbox = createOutbox();
    outbox.pending({ clientId: 'a', conversationId: 'c1', body: 'one' });
    const before = outbox.list('c1');
    outbox.pending({ clientId: 'b', conversationId: 'c2', body: 'two' });
    expect(outbox.list('c1')).toBe(before);
    expect(outbox.list('c2')).toHaveLength(1);
  });
});
