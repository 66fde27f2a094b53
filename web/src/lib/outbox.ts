/**
 * Messages the user sent that the server has not confirmed yet. Each keeps the `clientId`
 * it was first sent with, so a retry after a failure can never create a second message.
 */
export interface OutboxEntry {
  readonly clientId: string;
  readonly conversationId: string;
  readonly body: string;
  readonly state: 'pending' | 'failed';
  /** Why the last attempt failed, for the user. */
  readonly error: string | null;
}

export interface Outbox {
  list(conversationId: string): readonly OutboxEntry[];
  /** Records a send attempt (first try or retry) as pending. */
  pending(entry: Omit<OutboxEntry, 'state' | 'error'>): void;
  failed(clientId: string, error: string): void;
  /** The server confirmed the message: it now lives in the cache. */
  sent(clientId: string): void;
  subscribe(listener: () => void): () => void;
}

const none: readonly OutboxEntry[] = [];

export function createOutbox(): Outbox {
  // One array per conversation, replaced only when that conversation's entries change,
  // so useSyncExternalStore re-renders just the affected chat.
  const byConversation = new Map<string, readonly OutboxEntry[]>();
  const conversationOf = new Map<string, string>();
  const listeners = new Set<() => void>();

  const change = (
    conversationId: string,
    edit: (entries: readonly OutboxEntry[]) => OutboxEntry[],
  ) => {
    const next = edit(byConversation.get(conversationId) ?? none);
    if (next.length) byConversation.set(conversationId, next);
    else byConversation.delete(conversationId);
    for (const listener of listeners) listener();
  };

  const changeEntry = (clientId: string, edit: (entry: OutboxEntry) => OutboxEntry | null) => {
    const conversationId = conversationOf.get(clientId);
    if (conversationId === undefined) return;
    change(conversationId, (entries) =>
      entries.flatMap((entry) => {
        if (entry.clientId !== clientId) return [entry];
        const edited = edit(entry);
        return edited ? [edited] : [];
      }),
    );
  };

  return {
    list: (conversationId) => byConversation.get(conversationId) ?? none,
    pending(entry) {
      const next: OutboxEntry = { ...entry, state: 'pending', error: null };
      if (conversationOf.has(entry.clientId)) {
        changeEntry(entry.clientId, () => next);
        return;
      }
      conversationOf.set(entry.clientId, entry.conversationId);
      change(entry.conversationId, (entries) => [...entries, next]);
    },
    failed(clientId, error) {
      changeEntry(clientId, (entry) => ({ ...entry, state: 'failed', error }));
    },
    sent(clientId) {
      changeEntry(clientId, () => null);
      conversationOf.delete(clientId);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
