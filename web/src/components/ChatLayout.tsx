import { useCallback, useEffect, useState } from 'react';
import type { SessionUser } from '../lib/session.ts';
import { ChatView } from './ChatView.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { Sidebar } from './Sidebar.tsx';

const hashPrefix = '#/c/';

/**
 * The signed-in shell: sidebar and chat side by side, or one at a time on narrow screens.
 * The open conversation is kept in the URL hash, so a reload returns to it.
 */
export function ChatLayout({ user }: { user: SessionUser }) {
  const [openId, setOpenId] = useState<string | null>(() => fromHash(window.location.hash));

  useEffect(() => {
    const onHashChange = () => setOpenId(fromHash(window.location.hash));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const open = useCallback((conversationId: string | null) => {
    window.location.hash = conversationId ? `${hashPrefix}${conversationId}` : '';
    setOpenId(conversationId);
  }, []);

  return (
    <div className="flex h-full flex-col bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <ConnectionBanner />
      <div className="flex min-h-0 flex-1">
        <aside
          aria-label="Conversations and contacts"
          className={`w-full shrink-0 border-slate-200 md:flex md:w-80 md:border-r dark:border-slate-800 ${
            openId ? 'hidden' : 'flex'
          }`}
        >
          <Sidebar user={user} openId={openId} onOpen={open} />
        </aside>
        <main className={`min-w-0 flex-1 md:flex ${openId ? 'flex' : 'hidden'}`}>
          {openId ? (
            <ChatView key={openId} conversationId={openId} user={user} onBack={() => open(null)} />
          ) : (
            <div className="flex flex-1 items-center justify-center p-8 text-center text-slate-500 dark:text-slate-400">
              Pick a conversation, or add a contact to start one.
            </div>
          )}
        </main>
      </div>
    </div>
  );
}

function fromHash(hash: string): string | null {
  return hash.startsWith(hashPrefix) ? decodeURIComponent(hash.slice(hashPrefix.length)) : null;
}
