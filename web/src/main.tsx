import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { ServicesContext } from './app/services.ts';
import './index.css';
import { createConnectionStatus } from './lib/connection-status.ts';
import { graphqlFetch } from './lib/graphql-fetch.ts';
import { RefreshSessionMutation } from './lib/operations.ts';
import { createOutbox } from './lib/outbox.ts';
import { createSession, webLock } from './lib/session.ts';

const apiUrl = new URL('/graphql', window.location.href).href;
const wsUrl = apiUrl.replace(/^http/, 'ws');

const session = createSession({
  requestRefresh: async () =>
    (await graphqlFetch(apiUrl, RefreshSessionMutation, {})).refreshSession,
  // Tabs share the refresh cookie, so they take turns rotating it. Web Locks exist on
  // secure origins (https, localhost) only.
  ...('locks' in navigator ? { lock: webLock(navigator.locks, 'parley.refresh') } : {}),
});
// Earlier versions kept the refresh token here; the cookie replaces it.
window.sessionStorage.removeItem('parley.session');
void session.restore();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ServicesContext
      value={{ apiUrl, wsUrl, session, status: createConnectionStatus(), outbox: createOutbox() }}
    >
      <App />
    </ServicesContext>
  </StrictMode>,
);
