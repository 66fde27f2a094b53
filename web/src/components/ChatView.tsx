import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useServices } from '../app/services.ts';
import type { MessageFieldsFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { messagePageSize } from '../lib/cache.ts';
import { newClientId } from '../lib/client-id.ts';
import { describeError } from '../lib/errors.ts';
import {
  initialLiveState,
  type LiveState,
  readersOf,
  reduceLiveEvent,
  typingText,
  withReadMarks,
} from '../lib/live-state.ts';
import { conversationTitle, directPeer } from '../lib/names.ts';
import {
  ConversationEventsSubscription,
  ConversationViewQuery,
  SendMessageMutation,
} from '../lib/operations.ts';
import type { SessionUser } from '../lib/session.ts';
import { Composer } from './Composer.tsx';
import { MessagePage } from './MessagePage.tsx';
import { PendingRow } from './MessageRow.tsx';
import { PresenceDot } from './PresenceDot.tsx';

const MarkReadMutation = graphql(`
  mutation MarkRead($conversationId: ID!, $seq: Int!) {
    markRead(conversationId: $conversationId, seq: $seq) {
      id
      lastReadSeq
      unreadCount
    }
  }
`);

export interface ChatViewProps {
  readonly conversationId: string;
  readonly user: SessionUser;
  readonly onBack: () => void;
}

/** One conversation: paged history, live events, the outbox and the composer. */
export function ChatView({ conversationId, user, onBack }: ChatViewProps) {
  const { outbox } = useServices();
  const [view, refetchView] = useQuery({
    query: ConversationViewQuery,
    variables: { id: conversationId, last: messagePageSize },
  });
  const conversation = view.data?.conversation;
  const newest = conversation?.messages;
  const newestEdges = newest?.edges ?? [];
  const newestSeq = newestEdges.at(-1)?.node.seq ?? 0;

  // Cursors of older pages, newest first; each is the startCursor of the page below it.
  const [olderCursors, setOlderCursors] = useState<readonly string[]>([]);
  const loadOlder = useCallback((cursor: string) => {
    setOlderCursors((cursors) => (cursors.includes(cursor) ? cursors : [...cursors, cursor]));
  }, []);

  // Subscribe once the first page is known, resuming right after its newest message.
  const [afterSeq, setAfterSeq] = useState<number | null>(null);
  useEffect(() => {
    if (afterSeq === null && newest) setAfterSeq(newestSeq);
  }, [afterSeq, newest, newestSeq]);
  const [live] = useSubscription(
    {
      query: ConversationEventsSubscription,
      variables: { conversationId, afterSeq },
      pause: afterSeq === null,
    },
    (state: LiveState = initialLiveState, data) =>
      reduceLiveEvent(state, data.conversationEvents, user.id),
  );
  const liveState = live.data ?? initialLiveState;

  // Too much was missed to replay: start again from the newest page.
  useEffect(() => {
    if (liveState.resyncs === 0) return;
    setOlderCursors([]);
    refetchView({ requestPolicy: 'network-only' });
  }, [liveState.resyncs, refetchView]);

  useMarkRead(conversationId, newestSeq, conversation ?? null);

  const pending = useSyncExternalStore(outbox.subscribe, () => outbox.list(conversationId));
  const confirmed = new Set(newestEdges.map((edge) => edge.node.clientId));
  const [, sendMessage] = useMutation(SendMessageMutation);
  const send = useCallback(
    async (body: string, clientId: string = newClientId()) => {
      outbox.pending({ clientId, conversationId, body });
      const result = await sendMessage({ input: { conversationId, body, clientId } });
      if (result.error) outbox.failed(clientId, describeError(result.error));
      else outbox.sent(clientId);
    },
    [conversationId, outbox, sendMessage],
  );

  if (!conversation) {
    return (
      <div className="flex flex-1 items-center justify-center p-8 text-slate-500">
        {view.error
          ? describeError(view.error)
          : view.fetching
            ? 'Loading…'
            : 'Conversation not found.'}
      </div>
    );
  }

  const title = conversationTitle(conversation, user.id);
  const peer = directPeer(conversation, user.id);
  const readSeqs = withReadMarks(liveState.readSeqs, conversation.readMarks);
  const receipt = receiptFor(newestEdges, readSeqs, user.id, conversation.kind === 'GROUP');
  const typing = typingText(liveState.typing);
  const oldestLoaded = olderCursors.length;

  return (
    <section aria-label={`Conversation: ${title}`} className="flex min-h-0 flex-1 flex-col">
      <header className="flex items-center gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <button
          type="button"
          onClick={onBack}
          aria-label="Back to conversations"
          className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 md:hidden dark:text-slate-300 dark:hover:bg-slate-800"
        >
          ←
        </button>
        {peer && <PresenceDot online={peer.online} name={peer.name} />}
        <div className="min-w-0">
          <h1 className="truncate font-semibold">{title}</h1>
          {conversation.kind === 'GROUP' && (
            <p className="truncate text-xs text-slate-500 dark:text-slate-400">
              {conversation.members.map((member) => member.name).join(', ')}
            </p>
          )}
        </div>
      </header>
      {/* column-reverse pins the view to the newest message and keeps it still when
          older pages are inserted above. */}
      <div className="flex min-h-0 flex-1 flex-col-reverse overflow-y-auto px-3 py-2">
        <ol aria-label="Messages" className="flex flex-col">
          {[...olderCursors].reverse().map((cursor, index) => (
            <MessagePage
              key={cursor}
              conversationId={conversationId}
              before={cursor}
              isOldest={index === 0}
              viewerId={user.id}
              group={conversation.kind === 'GROUP'}
              onLoadOlder={loadOlder}
            />
          ))}
          <MessagePage
            conversationId={conversationId}
            page={newest}
            isOldest={oldestLoaded === 0}
            viewerId={user.id}
            group={conversation.kind === 'GROUP'}
            onLoadOlder={loadOlder}
            receipt={receipt}
          />
          {pending
            .filter((entry) => !confirmed.has(entry.clientId))
            .map((entry) => (
              <PendingRow
                key={entry.clientId}
                body={entry.body}
                state={entry.state}
                error={entry.error}
                onRetry={() => void send(entry.body, entry.clientId)}
              />
            ))}
        </ol>
      </div>
      <p aria-live="polite" className="h-5 px-4 text-xs text-slate-500 italic dark:text-slate-400">
        {typing}
      </p>
      <Composer conversationId={conversationId} onSend={(body) => void send(body)} />
    </section>
  );
}

/** "Sent" or "Read" (or "Read by N" in groups) for the viewer's newest message. */
function receiptFor(
  edges: readonly { node: MessageFieldsFragment }[],
  readSeqs: Readonly<Record<string, number>>,
  viewerId: string,
  group: boolean,
): { seq: number; text: string } | null {
  const own = edges.findLast(
    (edge) => edge.node.kind === 'USER' && edge.node.sender?.id === viewerId,
  );
  if (!own) return null;
  const readers = readersOf(readSeqs, own.node.seq, viewerId);
  const text = readers.length === 0 ? 'Sent' : group ? `Read by ${readers.length}` : 'Read';
  return { seq: own.node.seq, text };
}

/**
 * Marks the conversation read up to its newest message while the page is visible. It also
 * re-marks when the cache shows unread messages in the open conversation: an inbox event
 * computed before the last markRead can land after its answer.
 */
function useMarkRead(
  conversationId: string,
  newestSeq: number,
  read: { readonly lastReadSeq: number; readonly unreadCount: number } | null,
) {
  const [, markRead] = useMutation(MarkReadMutation);
  const visible = useSyncExternalStore(
    subscribeVisibility,
    () => document.visibilityState === 'visible',
  );
  const lastReadSeq = read?.lastReadSeq ?? null;
  const unreadCount = read?.unreadCount ?? 0;
  useEffect(() => {
    if (!visible || lastReadSeq === null || newestSeq === 0) return;
    if (newestSeq <= lastReadSeq && unreadCount === 0) return;
    void markRead({ conversationId, seq: newestSeq }).then((result) => {
      if (result.error) console.warn('markRead failed', result.error);
    });
  }, [conversationId, newestSeq, lastReadSeq, unreadCount, visible, markRead]);
}

function subscribeVisibility(listener: () => void): () => void {
  document.addEventListener('visibilitychange', listener);
  return () => document.removeEventListener('visibilitychange', listener);
}
