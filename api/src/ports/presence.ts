import type { UserId } from '../domain/model.ts';

/**
 * Who is online, across API instances. A user is online while any of their sockets is
 * open anywhere; an instance that dies stops renewing its entries, which then expire.
 */
export interface PresenceStore {
  /** Records an open socket; returns true when this made the user go online. */
  connect(userId: UserId, connectionId: string): Promise<boolean>;
  /** Removes a socket; returns true when this made the user go offline. */
  disconnect(userId: UserId, connectionId: string): Promise<boolean>;
  isOnline(userIds: readonly UserId[]): Promise<Map<UserId, boolean>>;
  close(): Promise<void>;
}
