import type { UserId } from '../../domain/model.ts';
import type { PresenceStore } from '../../ports/presence.ts';

/**
 * Open sockets per user, in this process. Nothing expires: a socket belongs to this
 * process, so it disconnects here when it closes (or the process, and this map, dies).
 */
export function createMemoryPresenceStore(): PresenceStore {
  const sockets = new Map<UserId, Set<string>>();

  return {
    async connect(userId, connectionId) {
      const open = sockets.get(userId);
      if (open === undefined) {
        sockets.set(userId, new Set([connectionId]));
        return true;
      }
      open.add(connectionId);
      return false;
    },

    async disconnect(userId, connectionId) {
      const open = sockets.get(userId);
      if (open === undefined || !open.delete(connectionId)) return false;
      if (open.size > 0) return false;
      sockets.delete(userId);
      return true;
    },

    async isOnline(userIds) {
      return new Map(userIds.map((userId) => [userId, sockets.has(userId)]));
    },

    async close() {
      sockets.clear();
    },
  };
}
