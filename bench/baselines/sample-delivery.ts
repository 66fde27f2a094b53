import { MESSAGE_BODY } from '../load/sender.ts';

/** A Message as the subscription selects it, with made-up ids. */
export function sampleMessage(seq = 1) {
  return {
    id: '01890a5d-ac96-774b-bcce-b302099a8057',
    clientId: `bench-${seq}`,
    conversationId: '01890a5d-ac96-774b-bcce-b302099a8000',
    seq,
    kind: 'USER',
    body: MESSAGE_BODY,
    status: 'SENT',
    createdAt: new Date(0).toISOString(),
    sender: { id: '01890a5d-ac96-774b-bcce-b302099a8001', name: 'Bench User' },
  };
}

/** One graphql-ws `next` frame as a subscriber receives it for a new message. */
export function sampleDeliveryFrame(seq = 1): string {
  return JSON.stringify({
    id: '1',
    type: 'next',
    payload: {
      data: { conversationEvents: { __typename: 'MessageAdded', message: sampleMessage(seq) } },
    },
  });
}
