import { createContext, useContext } from 'react';
import type { ConnectionStatus } from '../lib/connection-status.ts';
import type { Outbox } from '../lib/outbox.ts';
import type { Session } from '../lib/session.ts';

/** Long-lived objects the views share; created once in main.tsx, never at import time. */
export interface Services {
  /** The HTTP GraphQL endpoint. */
  readonly apiUrl: string;
  /** The graphql-ws endpoint. */
  readonly wsUrl: string;
  readonly session: Session;
  readonly status: ConnectionStatus;
  readonly outbox: Outbox;
}

export const ServicesContext = createContext<Services | null>(null);

/** The app's services; throws outside the provider, which is a programming error. */
export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() used outside <ServicesContext>');
  return services;
}
