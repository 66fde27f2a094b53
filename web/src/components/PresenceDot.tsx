/** A green (online) or grey (offline) dot, with the state spelled out for screen readers. */
export function PresenceDot({ online, name }: { online: boolean; name: string }) {
  return (
    <span
      role="img"
      aria-label={`${name} is ${online ? 'online' : 'offline'}`}
      title={online ? 'Online' : 'Offline'}
      data-online={online}
      className={`inline-block size-2.5 shrink-0 rounded-full ring-2 ring-white dark:ring-slate-900 ${
        online ? 'bg-emerald-500' : 'bg-slate-400 dark:bg-slate-600'
      }`}
    />
  );
}
