import type { ConversationListItemFragment } from '../gql/graphql.ts';
import { conversationTitle, directPeer } from '../lib/names.ts';
import { PresenceDot } from './PresenceDot.tsx';

export interface ConversationListProps {
  readonly edges: readonly { readonly node: ConversationListItemFragment }[];
  readonly loading: boolean;
  readonly viewerId: string;
  readonly openId: string | null;
  readonly onOpen: (conversationId: string) => void;
}

/** The conversations, most recent activity first, with previews and unread badges. */
export function ConversationList({
  edges,
  loading,
  viewerId,
  openId,
  onOpen,
}: ConversationListProps) {
  return (
    <section aria-labelledby="conversations-heading" className="py-2">
      <h2
        id="conversations-heading"
        className="px-4 py-1 text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400"
      >
        Conversations
      </h2>
      {loading && <p className="px-4 py-2 text-sm text-slate-500">Loading…</p>}
      {!loading && edges.length === 0 && (
        <p className="px-4 py-2 text-sm text-slate-500 dark:text-slate-400">
          No conversations yet.
        </p>
      )}
      <ul aria-label="Conversations">
        {edges.map(({ node }) => {
          const title = conversationTitle(node, viewerId);
          const peer = directPeer(node, viewerId);
          const last = node.lastMessage;
          const preview = last
            ? `${last.sender?.id === viewerId ? 'You: ' : last.kind === 'ASSISTANT' ? 'Assistant: ' : ''}${last.body}`
            : 'No messages yet';
          return (
            <li key={node.id}>
              <button
                type="button"
                onClick={() => onOpen(node.id)}
                aria-label={[
                  title,
                  peer && (peer.online ? 'online' : 'offline'),
                  node.unreadCount > 0 && `${node.unreadCount} unread`,
                  preview,
                ]
                  .filter(Boolean)
                  .join(', ')}
                aria-current={node.id === openId ? 'true' : undefined}
                className={`flex w-full items-center gap-3 px-4 py-2 text-left hover:bg-slate-100 dark:hover:bg-slate-900 ${
                  node.id === openId ? 'bg-indigo-50 dark:bg-indigo-950/60' : ''
                }`}
              >
                <span className="relative flex size-9 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-sm font-semibold text-indigo-700 dark:bg-indigo-900 dark:text-indigo-200">
                  {title.slice(0, 1).toUpperCase()}
                  {peer && (
                    <span className="absolute -right-0.5 -bottom-0.5 flex">
                      <PresenceDot online={peer.online} name={peer.name} />
                    </span>
                  )}
                </span>
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium">{title}</span>
                  <span className="block truncate text-sm text-slate-500 dark:text-slate-400">
                    {preview}
                  </span>
                </span>
                {node.unreadCount > 0 && (
                  <span
                    data-unread={node.unreadCount}
                    className="rounded-full bg-indigo-600 px-2 py-0.5 text-xs font-semibold text-white"
                  >
                    {node.unreadCount}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
