import { useEffect, useState } from 'react';
import { type Client, Provider } from 'urql';
import { ChatLayout } from '../components/ChatLayout.tsx';
import type { SessionUser } from '../lib/session.ts';
import { createSocket } from '../lib/socket.ts';
import { createUrqlClient } from '../lib/urql-client.ts';
import { useServices } from './services.ts';

/** Owns the signed-in user's socket and urql client for as long as they stay signed in. */
export function SignedIn({ user }: { user: SessionUser }) {
  const { apiUrl, wsUrl, session, status } = useServices();
  const [client, setClient] = useState<Client | null>(null);

  useEffect(() => {
    const socket = createSocket({ url: wsUrl, session, status, window });
    setClient(createUrqlClient({ url: apiUrl, session, socket }));
    return () => socket.dispose();
  }, [apiUrl, wsUrl, session, status]);

  if (!client) return null;
  return (
    <Provider value={client}>
      <ChatLayout user={user} />
    </Provider>
  );
}
