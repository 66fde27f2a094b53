import { DeliveryTracker } from './delivery-tracker.ts';
import { SEND_MESSAGE } from './documents.ts';
import type { BenchConversation } from './fixtures.ts';
import { errorCode, type HttpGql } from './http-client.ts';
import { mapConcurrent } from './pool.ts';

/** A chat-sized body (about 120 characters). */
export const MESSAGE_BODY =
  'Benchmark message: the quick brown fox jumps over the lazy dog, then checks the delivery latency of it all.';

/** Sends message `index` of a run round-robin over conversations and their members. */
export function createSender(
  http: HttpGql,
  conversations: readonly BenchConversation[],
  membersSending: number,
) {
  return {
    /**
     * Sends one message with `clientId` through `tracker`; resolves when it settled (never
     * rejects: failures are counted by code). Returns the acked message's seq, or null.
     */
    async send(tracker: DeliveryTracker, index: number, clientId: string) {
      const conversation = conversations[index % conversations.length];
      const sender =
        conversation?.members[Math.floor(index / conversations.length) % membersSending];
      if (!conversation || !sender) throw new Error('no conversation to send to');
      tracker.begin(clientId);
      try {
        const response = await http.post<{ sendMessage: { seq: number; id: string } }>(
          SEND_MESSAGE,
          { input: { conversationId: conversation.id, body: MESSAGE_BODY, clientId } },
          sender.token,
        );
        const code = errorCode(response);
        if (code !== null || !response.data?.sendMessage) {
          tracker.failed(clientId, code ?? 'NO_DATA');
          return null;
        }
        tracker.acked(clientId);
        return { conversationId: conversation.id, ...response.data.sendMessage };
      } catch (error) {
        tracker.failed(clientId, error instanceof Error ? `HTTP: ${error.message}` : 'HTTP');
        return null;
      }
    },
  };
}

export type Sender = ReturnType<typeof createSender>;

/**
 * A subscription cannot tell its client when it is live on the server: send one message per
 * conversation and wait for every subscriber to receive it; repeat until one round arrives
 * everywhere. Returns how many rounds it took.
 */
export async function pokeUntilLive(
  sender: Sender,
  conversations: number,
  fanOut: number,
  listen: (listener: DeliveryTracker['delivered'] | null) => void,
  maxRounds = 20,
): Promise<number> {
  for (let round = 1; round <= maxRounds; round += 1) {
    const tracker = new DeliveryTracker(fanOut);
    listen(tracker.delivered);
    const indexes = Array.from({ length: conversations }, (_, index) => index);
    await mapConcurrent(indexes, 32, (index) =>
      sender.send(tracker, index, `poke-${round}-${index}-${Math.random()}`),
    );
    const live = await tracker.settled(2_000);
    listen(null);
    const counts = tracker.counts();
    if (counts.acked < conversations) {
      throw new Error(`poke sends failed: ${JSON.stringify(counts.sendErrors)}`);
    }
    if (live) return round;
  }
  throw new Error(`subscriptions were not all live after ${maxRounds} rounds of pokes`);
}
