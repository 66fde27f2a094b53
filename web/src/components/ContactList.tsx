import { useState } from 'react';
import { useMutation } from 'urql';
import type { ContactFieldsFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../lib/errors.ts';
import { PresenceDot } from './PresenceDot.tsx';

const OpenDirectConversationMutation = graphql(`
  mutation OpenDirectConversation($userId: ID!) {
    openDirectConversation(userId: $userId) {
      ...ConversationListItem
    }
  }
`);

export interface ContactListProps {
  readonly contacts: readonly ContactFieldsFragment[];
  readonly onOpen: (conversationId: string) => void;
}

/** Contacts with presence; choosing one opens (or creates) the direct conversation. */
export function ContactList({ contacts, onOpen }: ContactListProps) {
  const [, openDirect] = useMutation(OpenDirectConversationMutation);
  const [error, setError] = useState<string | null>(null);

  const open = async (userId: string) => {
    setError(null);
    const result = await openDirect({ userId });
    if (result.error) setError(describeError(result.error));
    else if (result.data) onOpen(result.data.openDirectConversation.id);
  };

  return (
    <section
      aria-labelledby="contacts-heading"
      className="border-t border-slate-200 py-2 dark:border-slate-800"
    >
      <h2
        id="contacts-heading"
        className="px-4 py-1 text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400"
      >
        Contacts
      </h2>
      {contacts.length === 0 && (
        <p className="px-4 py-2 text-sm text-slate-500 dark:text-slate-400">
          Add someone by email below.
        </p>
      )}
      <ul aria-label="Contacts">
        {contacts.map((contact) => {
          const name = contact.nickname || contact.user.name;
          return (
            <li key={contact.user.id}>
              <button
                type="button"
                onClick={() => void open(contact.user.id)}
                aria-label={`Message ${name}`}
                className="flex w-full items-center gap-3 px-4 py-1.5 text-left hover:bg-slate-100 dark:hover:bg-slate-900"
              >
                <PresenceDot online={contact.user.online} name={name} />
                <span className="truncate">{name}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {error && (
        <p role="alert" className="px-4 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </section>
  );
}
