import { type FormEvent, useId, useState } from 'react';
import { useServices } from '../app/services.ts';
import { GraphQLRequestError, graphqlFetch } from '../lib/graphql-fetch.ts';
import { LogInMutation, SignUpMutation } from '../lib/operations.ts';

type Mode = 'logIn' | 'signUp';

/** Sign up or log in; on success the session switches the app to the chat. */
export function AuthScreen() {
  const { apiUrl, session } = useServices();
  const [mode, setMode] = useState<Mode>('logIn');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { name: useId(), email: useId(), password: useId(), error: useId() };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    setBusy(true);
    setError(null);
    try {
      const payload =
        mode === 'signUp'
          ? (
              await graphqlFetch(apiUrl, SignUpMutation, {
                input: { email, password, name: String(form.get('name') ?? '') },
              })
            ).signUp
          : (await graphqlFetch(apiUrl, LogInMutation, { input: { email, password } })).logIn;
      session.signIn(payload);
    } catch (caught) {
      setError(authErrorText(caught, mode));
      setBusy(false);
    }
  };

  const input =
    'mt-1 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100';

  return (
    <main className="flex min-h-full items-center justify-center bg-slate-100 p-4 dark:bg-slate-950">
      <div className="w-full max-w-sm rounded-2xl bg-white p-6 shadow-lg dark:bg-slate-900">
        <h1 className="text-2xl font-semibold text-slate-900 dark:text-slate-100">Parley</h1>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
          Real-time chat, with an assistant when you ask for one.
        </p>
        <div
          className="mt-6 grid grid-cols-2 gap-1 rounded-lg bg-slate-100 p-1 dark:bg-slate-800"
          role="tablist"
        >
          {(['logIn', 'signUp'] as const).map((value) => (
            <button
              key={value}
              type="button"
              role="tab"
              aria-selected={mode === value}
              onClick={() => {
                setMode(value);
                setError(null);
              }}
              className={`rounded-md px-3 py-1.5 text-sm font-medium ${
                mode === value
                  ? 'bg-white text-slate-900 shadow dark:bg-slate-700 dark:text-white'
                  : 'text-slate-600 dark:text-slate-300'
              }`}
            >
              {value === 'logIn' ? 'Log in' : 'Sign up'}
            </button>
          ))}
        </div>
        <form
          className="mt-4 space-y-3"
          onSubmit={(event) => void submit(event)}
          aria-describedby={error ? ids.error : undefined}
        >
          {mode === 'signUp' && (
            <div>
              <label
                htmlFor={ids.name}
                className="text-sm font-medium text-slate-700 dark:text-slate-300"
              >
                Name
              </label>
              <input id={ids.name} name="name" required autoComplete="name" className={input} />
            </div>
          )}
          <div>
            <label
              htmlFor={ids.email}
              className="text-sm font-medium text-slate-700 dark:text-slate-300"
            >
              Email
            </label>
            <input
              id={ids.email}
              name="email"
              type="email"
              required
              autoComplete="email"
              className={input}
            />
          </div>
          <div>
            <label
              htmlFor={ids.password}
              className="text-sm font-medium text-slate-700 dark:text-slate-300"
            >
              Password
            </label>
            <input
              id={ids.password}
              name="password"
              type="password"
              required
              minLength={mode === 'signUp' ? 8 : undefined}
              autoComplete={mode === 'signUp' ? 'new-password' : 'current-password'}
              className={input}
            />
          </div>
          {error && (
            <p id={ids.error} role="alert" className="text-sm text-red-600 dark:text-red-400">
              {error}
            </p>
          )}
          <button
            type="submit"
            disabled={busy}
            className="w-full rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
          >
            {mode === 'logIn' ? 'Log in' : 'Create account'}
          </button>
        </form>
      </div>
    </main>
  );
}

function authErrorText(error: unknown, mode: Mode): string {
  if (!(error instanceof GraphQLRequestError)) return 'Could not reach the server. Try again.';
  switch (error.code) {
    case 'CONFLICT':
      return 'That email already has an account. Log in instead.';
    case 'UNAUTHENTICATED':
      return mode === 'logIn' ? 'Wrong email or password.' : error.message;
    case 'RATE_LIMITED':
      return 'Too many attempts. Wait a moment and try again.';
    default:
      return error.message;
  }
}
