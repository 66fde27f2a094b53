import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/index.ts';
import { describeError } from '../lib/errors.ts';

const AddContactMutation = graphql(`
  mutation AddContact($input: AddContactInput!) {
    addContact(input: $input) {
      ...ContactFields
    }
  }
`);

/** Adds a contact by email; the cache updater puts them in the contact list. */
export function AddContactForm() {
  const [state, addContact] = useMutation(AddContactMutation);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const emailId = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const email = String(new FormData(form).get('email') ?? '').trim();
    if (!email) return;
    const result = await addContact({ input: { email } });
    if (result.error) {
      setMessage({ text: describeError(result.error), error: true });
    } else if (result.data) {
      setMessage({ text: `Added ${result.data.addContact.user.name}.`, error: false });
      form.reset();
    }
  };

  return (
    <form
      onSubmit={(event) => void submit(event)}
      className="border-t border-slate-200 px-4 py-3 dark:border-slate-800"
    >
      <label htmlFor={emailId} className="text-sm font-medium">
        Add contact by email
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id={emailId}
          name="email"
          type="email"
          required
          placeholder="friend@example.com"
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
        <button
          type="submit"
          disabled={state.fetching}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
        >
          Add
        </button>
      </div>
      {message && (
        <p
          role={message.error ? 'alert' : 'status'}
          className={`mt-1 text-sm ${message.error ? 'text-red-600 dark:text-red-400' : 'text-emerald-700 dark:text-emerald-400'}`}
        >
          {message.text}
        </p>
      )}
    </form>
  );
}
