import { useState } from 'react';
import { useMutation } from 'urql';
import type { MessageFieldsFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../lib/errors.ts';

const CancelAssistantReplyMutation = graphql(`
  mutation CancelAssistantReply($messageId: ID!) {
    cancelAssistantReply(messageId: $messageId) {
      ...MessageFields
    }
  }
`);

export interface MessageRowProps {
  readonly message: MessageFieldsFragment;
  readonly viewerId: string;
  /** Show the sender's name (groups, and whenever the sender changes). */
  readonly showSender: boolean;
  /** "Sent" / "Read" under the viewer's newest message, else null. */
  readonly receipt: string | null;
}

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** One stored message: the viewer's on the right, others' on the left, the assistant's marked. */
export function MessageRow({ message, viewerId, showSender, receipt }: MessageRowProps) {
  const own = message.kind === 'USER' && message.sender?.id === viewerId;
  if (message.kind === 'SYSTEM') {
    return (
      <li
        data-seq={message.seq}
        className="py-1 text-center text-xs text-slate-500 dark:text-slate-400"
      >
        {message.body}
      </li>
    );
  }
  if (message.kind === 'ASSISTANT') return <AssistantRow message={message} />;
  return (
    <li
      data-seq={message.seq}
      data-own={own}
      className={`flex flex-col py-0.5 ${own ? 'items-end' : 'items-start'}`}
    >
      {showSender && !own && (
        <span className="px-3 text-xs text-slate-500 dark:text-slate-400">
          {message.sender?.name}
        </span>
      )}
      <Bubble own={own}>{message.body}</Bubble>
      <span className="px-3 text-[11px] text-slate-400 dark:text-slate-500">
        <time dateTime={message.createdAt}>{time.format(new Date(message.createdAt))}</time>
        {receipt && <span data-receipt={receipt}> · {receipt}</span>}
      </span>
    </li>
  );
}

/** A message the server has not confirmed: pending, or failed with a retry button. */
export function PendingRow({
  body,
  state,
  error,
  onRetry,
}: {
  body: string;
  state: 'pending' | 'failed';
  error: string | null;
  onRetry: () => void;
}) {
  return (
    <li data-pending={state} className="flex flex-col items-end py-0.5">
      <Bubble own faded={state === 'pending'}>
        {body}
      </Bubble>
      {state === 'pending' ? (
        <span className="px-3 text-[11px] text-slate-400">Sending…</span>
      ) : (
        <span className="flex items-center gap-2 px-3 text-[11px] text-red-600 dark:text-red-400">
          <span role="alert">Failed to send{error ? `: ${error}` : ''}</span>
          <button type="button" onClick={onRetry} className="font-semibold underline">
            Retry
          </button>
        </span>
      )}
    </li>
  );
}

function AssistantRow({ message }: { message: MessageFieldsFragment }) {
  const [state, cancel] = useMutation(CancelAssistantReplyMutation);
  const [error, setError] = useState<string | null>(null);
  const streaming = message.status === 'STREAMING';
  const stop = async () => {
    const result = await cancel({ messageId: message.id });
    if (result.error) setError(describeError(result.error));
  };
  return (
    <li
      data-seq={message.seq}
      data-assistant-status={message.status}
      aria-busy={streaming}
      className="flex flex-col items-start py-0.5"
    >
      <span className="px-3 text-xs font-medium text-violet-600 dark:text-violet-300">
        Assistant
      </span>
      <div className="max-w-[85%] rounded-2xl rounded-bl-sm border border-violet-200 bg-violet-50 px-3 py-2 whitespace-pre-wrap break-words text-slate-900 dark:border-violet-800 dark:bg-violet-950/50 dark:text-slate-100">
        {message.body}
        {streaming && <span className="ml-0.5 inline-block animate-pulse">▍</span>}
      </div>
      <span className="flex items-center gap-2 px-3 text-[11px] text-slate-400 dark:text-slate-500">
        {streaming && (
          <button
            type="button"
            onClick={() => void stop()}
            disabled={state.fetching}
            className="rounded border border-slate-300 px-2 py-0.5 font-medium text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
          >
            Stop
          </button>
        )}
        {message.status === 'CANCELLED' && <span>Stopped</span>}
        {message.status === 'FAILED' && (
          <span className="text-red-600 dark:text-red-400">The assistant could not finish.</span>
        )}
        {error && (
          <span role="alert" className="text-red-600 dark:text-red-400">
            {error}
          </span>
        )}
      </span>
    </li>
  );
}

function Bubble({
  own,
  faded = false,
  children,
}: {
  own: boolean;
  faded?: boolean;
  children: string;
}) {
  return (
    <div
      className={`max-w-[85%] rounded-2xl px-3 py-2 whitespace-pre-wrap break-words ${
        own
          ? 'rounded-br-sm bg-indigo-600 text-white'
          : 'rounded-bl-sm bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100'
      } ${faded ? 'opacity-60' : ''}`}
    >
      {children}
    </div>
  );
}
