import { useSyncExternalStore } from 'react';
import { AuthScreen } from '../components/AuthScreen.tsx';
import { SignedIn } from './SignedIn.tsx';
import { useServices } from './services.ts';

/** Shows the sign-in screen, or the chat once someone is signed in. */
export function App() {
  const { session } = useServices();
  const user = useSyncExternalStore(session.subscribe, session.getUser);
  // Keyed by user: signing in as someone else starts from a fresh socket and cache.
  return user ? <SignedIn key={user.id} user={user} /> : <AuthScreen />;
}
