import { useSyncExternalStore } from 'react';
import { useServices } from '../app/services.ts';

/** Tells the user while live updates are down; missed messages catch up on reconnect. */
export function ConnectionBanner() {
  const { status } = useServices();
  const state = useSyncExternalStore(status.subscribe, status.get);
  const text =
    state === 'offline'
      ? 'You are offline. New messages will appear when you are back online.'
      : state === 'reconnecting'
        ? 'Connection lost. Reconnecting…'
        : null;
  return (
    <div role="status" aria-live="polite">
      {text && (
        <p className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-900 dark:bg-amber-900/60 dark:text-amber-100">
          {text}
        </p>
      )}
    </div>
  );
}
