import { useSyncExternalStore } from 'react';
import { AuthScreen } from '../components/AuthScreen.tsx';
import { SignedIn } from './SignedIn.tsx';
import { useServices } from './services.ts';

/** Shows the sign-in screen, or the chat once someone is signed in. */
export function App() {
  const { session } = useServices();
  const state = useSyncExternalStore(session.subscribe, session.getState);
  switch (state.status) {
    case 'restoring':
      // The refresh cookie is being traded for a session: a moment, not worth a flash of
      // the sign-in screen.
      return (
        <main aria-busy="true" className="flex min-h-full items-center justify-center p-4">
          <p className="text-sm text-slate-500 dark:text-slate-400">Loading…</p>
        </main>
      );
    case 'signedIn':
      // Keyed by user: signing in as someone else starts from a fresh socket and cache.
      return <SignedIn key={state.user.id} user={state.user} />;
    case 'signedOut':
      return <AuthScreen />;
  }
}
