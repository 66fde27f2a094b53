/**
 * Gapless resume for `conversationEvents`. graphql-ws re-sends a subscription's payload
 * after every reconnect, so moving the payload's `afterSeq` forward as events arrive
 * makes the server replay exactly what was missed.
 */

/** The subscription variables that graphql-ws re-sends on reconnect; mutated in place. */
export type ResumableVariables = Record<string, unknown>;

/**
 * Moves `variables.afterSeq` past the event in `data` when it is a `conversationEvents`
 * event with a position: forward only for messages (an update to an old message carries
 * an old seq), and to the server's latest seq on `ResyncRequired`.
 */
export function advanceAfterSeq(variables: ResumableVariables, data: unknown): void {
  if (typeof data !== 'object' || data === null || !('conversationEvents' in data)) return;
  const event = data.conversationEvents;
  if (typeof event !== 'object' || event === null) return;
  if ('latestSeq' in event && typeof event.latestSeq === 'number') {
    variables['afterSeq'] = event.latestSeq;
    return;
  }
  if (!('message' in event) || typeof event.message !== 'object' || event.message === null) return;
  const seq = 'seq' in event.message ? event.message.seq : undefined;
  const current = variables['afterSeq'];
  if (typeof seq === 'number' && (typeof current !== 'number' || seq > current)) {
    variables['afterSeq'] = seq;
  }
}
