/**
 * Gapless resume for `conversationEvents`: graphql-ws re-sends a subscription's original
 * payload after every reconnect, so the payload's `afterSeq` is moved forward as events
 * arrive. The server then replays exactly what was missed, in order, and nothing twice.
 */

/** The variables object graphql-ws re-sends on reconnect; mutated in place. */
export type ResumableVariables = Record<string, unknown>;

interface EventWithSeq {
  readonly __typename?: string;
  readonly message?: { readonly seq?: unknown } | null;
  readonly latestSeq?: unknown;
}

/**
 * The seq to resume after once `event` (one `conversationEvents` payload) has been seen,
 * or null when the event carries no position (typing, read marks).
 */
export function seqOfEvent(event: EventWithSeq): number | null {
  if (typeof event.latestSeq === 'number') return event.latestSeq;
  const seq = event.message?.seq;
  return typeof seq === 'number' ? seq : null;
}

/**
 * Advances `variables.afterSeq` past the event in a subscription result, when the result
 * is a `conversationEvents` event. Never moves it backwards (an update to an old message
 * carries an old seq), except that `ResyncRequired` resets it to the server's latest.
 */
export function advanceAfterSeq(variables: ResumableVariables, data: unknown): void {
  if (typeof data !== 'object' || data === null || !('conversationEvents' in data)) return;
  const event = data.conversationEvents;
  if (typeof event !== 'object' || event === null) return;
  const seq = seqOfEvent(event);
  if (seq === null) return;
  const current = variables['afterSeq'];
  const isResync = 'latestSeq' in event;
  if (isResync || typeof current !== 'number' || seq > current) variables['afterSeq'] = seq;
}
