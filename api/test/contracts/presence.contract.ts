import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PresenceStore } from '../../src/ports/presence.ts';
import { uniqueId } from './fixtures.ts';

/**
 * The PresenceStore port's semantics, for every adapter (memory, Redis): online while any
 * socket is open, with transitions reported exactly once. User ids are random.
 */
export function describePresenceContract(
  name: string,
  makePresence: () => Promise<PresenceStore>,
): void {
  describe(`PresenceStore contract: ${name}`, () => {
    let presence: PresenceStore;

    beforeEach(async () => {
      presence = await makePresence();
    });

    afterEach(async () => {
      await presence.close();
    });

    it('reports going online on the first socket only', async () => {
      const user = uniqueId('user');
      expect(await presence.connect(user, 'socket-1')).toBe(true);
      expect(await presence.connect(user, 'socket-2')).toBe(false);
      expect(await presence.isOnline([user])).toEqual(new Map([[user, true]]));
    });

    it('reports going offline when the last socket closes, not before', async () => {
      const user = uniqueId('user');
      await presence.connect(user, 'socket-1');
      await presence.connect(user, 'socket-2');
      expect(await presence.disconnect(user, 'socket-1')).toBe(false);
      expect(await presence.isOnline([user])).toEqual(new Map([[user, true]]));
      expect(await presence.disconnect(user, 'socket-2')).toBe(true);
      expect(await presence.isOnline([user])).toEqual(new Map([[user, false]]));
    });

    it('ignores unknown and repeated disconnects, and counts a re-sent connect once', async () => {
      const user = uniqueId('user');
      expect(await presence.disconnect(user, 'never-opened')).toBe(false);
      await presence.connect(user, 'socket-1');
      expect(await presence.connect(user, 'socket-1')).toBe(false);
      expect(await presence.disconnect(user, 'other')).toBe(false);
      expect(await presence.disconnect(user, 'socket-1')).toBe(true);
      expect(await presence.disconnect(user, 'socket-1')).toBe(false);
    });

    it('answers for every user asked, independently', async () => {
      const [online, offline, unknown] = [uniqueId('user'), uniqueId('user'), uniqueId('user')];
      await presence.connect(online, 'socket-1');
      await presence.connect(offline, 'socket-2');
      await presence.disconnect(offline, 'socket-2');
      expect(await presence.isOnline([online, offline, unknown])).toEqual(
        new Map([
          [online, true],
          [offline, false],
          [unknown, false],
        ]),
      );
      expect(await presence.isOnline([])).toEqual(new Map());
    });
  });
}
