import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import type { ContactFieldsFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../lib/errors.ts';

const CreateGroupMutation = graphql(`
  mutation CreateGroupConversation($input: CreateGroupInput!) {
    createGroupConversation(input: $input) {
      ...ConversationListItem
    }
  }
`);

export interface NewGroupFormProps {
  readonly contacts: readonly ContactFieldsFragment[];
  readonly onCreated: (conversationId: string) => void;
}

/** Creates a group with a title and some of the user's contacts. */
export function NewGroupForm({ contacts, onCreated }: NewGroupFormProps) {
  const [state, createGroup] = useMutation(CreateGroupMutation);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const title = String(data.get('title') ?? '').trim();
    const memberIds = data.getAll('member').map(String);
    if (memberIds.length === 0) {
      setError('Choose at least one member.');
      return;
    }
    setError(null);
    const result = await createGroup({ input: { title, memberIds } });
    if (result.error) setError(describeError(result.error));
    else if (result.data) {
      form.reset();
      onCreated(result.data.createGroupConversation.id);
    }
  };

  return (
    <details className="border-t border-slate-200 px-4 py-3 dark:border-slate-800">
      <summary className="cursor-pointer text-sm font-medium">New group</summary>
      <form onSubmit={(event) => void submit(event)} className="mt-2 space-y-2">
        <div>
          <label htmlFor={titleId} className="text-sm">
            Group name
          </label>
          <input
            id={titleId}
            name="title"
            required
            className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
          />
        </div>
        <fieldset>
          <legend className="text-sm">Members</legend>
          {contacts.length === 0 && (
            <p className="text-sm text-slate-500 dark:text-slate-400">Add contacts first.</p>
          )}
          {contacts.map((contact) => (
            <label key={contact.user.id} className="flex items-center gap-2 py-0.5 text-sm">
              <input type="checkbox" name="member" value={contact.user.id} />
              {contact.nickname || contact.user.name}
            </label>
          ))}
        </fieldset>
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <button
          type="submit"
          disabled={state.fetching}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
        >
          Create group
        </button>
      </form>
    </details>
  );
}
