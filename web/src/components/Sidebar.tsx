import { useEffect, useSyncExternalStore } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { useServices } from '../app/services.ts';
import { conversationListSize } from '../lib/cache.ts';
import {
  ContactsQuery,
  ConversationsQuery,
  InboxSubscription,
  LogOutMutation,
} from '../lib/operations.ts';
import type { SessionUser } from '../lib/session.ts';
import { AddContactForm } from './AddContactForm.tsx';
import { ContactList } from './ContactList.tsx';
import { ConversationList } from './ConversationList.tsx';
import { NewGroupForm } from './NewGroupForm.tsx';

export interface SidebarProps {
  readonly user: SessionUser;
  readonly openId: string | null;
  readonly onOpen: (conversationId: string) => void;
}

/** Conversations (activity order), contacts with presence, and the forms to add more. */
export function Sidebar({ user, openId, onOpen }: SidebarProps) {
  const { session, status } = useServices();
  const generation = useSyncExternalStore(status.subscribe, status.generation);
  const [conversations, refetchConversations] = useQuery({
    query: ConversationsQuery,
    variables: { first: conversationListSize },
  });
  const [contacts, refetchContacts] = useQuery({ query: ContactsQuery });
  const [, logOut] = useMutation(LogOutMutation);
  // The inbox keeps previews, unread counts, order and presence current via the cache.
  useSubscription({ query: InboxSubscription });

  // Inbox events sent while the socket was down are lost; catch up after a reconnect.
  useEffect(() => {
    if (generation <= 1) return;
    refetchConversations({ requestPolicy: 'network-only' });
    refetchContacts({ requestPolicy: 'network-only' });
  }, [generation, refetchConversations, refetchContacts]);

  const signOut = async () => {
    // The server revokes the refresh cookie's session and clears the cookie.
    const result = await logOut({});
    // Sign out locally either way; a failed revoke only leaves a session that expires.
    if (result.error) console.warn('logOut failed', result.error);
    session.clear();
  };

  const contactList = contacts.data?.contacts ?? [];

  return (
    <div className="flex min-h-0 w-full flex-col">
      <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <div className="min-w-0">
          <p className="text-lg font-semibold">Parley</p>
          <p className="truncate text-xs text-slate-500 dark:text-slate-400">
            Signed in as {user.name}
          </p>
        </div>
        <button
          type="button"
          onClick={() => void signOut()}
          className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          Log out
        </button>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <ConversationList
          edges={conversations.data?.conversations.edges ?? []}
          loading={conversations.fetching && !conversations.data}
          viewerId={user.id}
          openId={openId}
          onOpen={onOpen}
        />
        <ContactList contacts={contactList} onOpen={onOpen} />
        <AddContactForm />
        <NewGroupForm contacts={contactList} onCreated={onOpen} />
      </div>
    </div>
  );
}
