import { useEffect, useRef } from 'react';
import { useQuery } from 'urql';
import type { MessageFieldsFragment } from '../gql/graphql.ts';
import { messagePageSize } from '../lib/cache.ts';
import { describeError } from '../lib/errors.ts';
import { OlderMessagesQuery } from '../lib/operations.ts';
import { MessageRow } from './MessageRow.tsx';

interface Page {
  readonly edges: readonly { readonly node: MessageFieldsFragment }[];
  readonly pageInfo: { readonly hasPreviousPage: boolean; readonly startCursor?: string | null };
}

export interface MessagePageProps {
  readonly conversationId: string;
  /** The newest page, already loaded by the chat view... */
  readonly page?: Page | undefined;
  /** ...or the cursor of an older page to load here. */
  readonly before?: string;
  readonly isOldest: boolean;
  readonly viewerId: string;
  readonly group: boolean;
  readonly onLoadOlder: (cursor: string) => void;
  readonly receipt?: { seq: number; text: string } | null;
}

/**
 * One page of history. The oldest page on screen carries a sentinel at its top: when it
 * scrolls into view, the page before it is requested.
 */
export function MessagePage(props: MessagePageProps) {
  const { conversationId, before } = props;
  const [older] = useQuery({
    query: OlderMessagesQuery,
    variables: { id: conversationId, last: messagePageSize, before: before ?? '' },
    pause: before === undefined,
    requestPolicy: 'cache-first',
  });
  const page = props.page ?? older.data?.conversation?.messages;
  if (older.error) {
    return (
      <li role="alert" className="py-2 text-center text-sm text-red-600">
        {describeError(older.error)}
      </li>
    );
  }
  if (!page) return null;
  const { hasPreviousPage, startCursor } = page.pageInfo;
  return (
    <>
      {props.isOldest && hasPreviousPage && startCursor && (
        <LoadOlder cursor={startCursor} onVisible={props.onLoadOlder} />
      )}
      {page.edges.map(({ node }, index) => (
        <MessageRow
          key={node.id}
          message={node}
          viewerId={props.viewerId}
          showSender={props.group && page.edges[index - 1]?.node.sender?.id !== node.sender?.id}
          receipt={props.receipt?.seq === node.seq ? props.receipt.text : null}
        />
      ))}
    </>
  );
}

function LoadOlder({ cursor, onVisible }: { cursor: string; onVisible: (cursor: string) => void }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) onVisible(cursor);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [cursor, onVisible]);
  return (
    <li ref={ref} className="py-2 text-center text-xs text-slate-400">
      <button type="button" onClick={() => onVisible(cursor)} className="underline">
        Load earlier messages
      </button>
    </li>
  );
}
