/** The shape `conversationTitle` needs: a title, or the members to name it after. */
export interface Titled {
  readonly kind: string;
  readonly title?: string | null;
  readonly members: readonly { readonly id: string; readonly name: string }[];
}

/** What to call a conversation: its title, or the other people in it. */
export function conversationTitle(conversation: Titled, viewerId: string): string {
  if (conversation.title) return conversation.title;
  const others = conversation.members.filter((member) => member.id !== viewerId);
  if (others.length === 0) return 'Just you';
  return others.map((member) => member.name).join(', ');
}

/** The other member of a direct conversation, for its presence dot. */
export function directPeer<M extends { readonly id: string }>(
  conversation: { readonly kind: string; readonly members: readonly M[] },
  viewerId: string,
): M | null {
  if (conversation.kind !== 'DIRECT') return null;
  return conversation.members.find((member) => member.id !== viewerId) ?? null;
}
