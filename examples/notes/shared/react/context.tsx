/** The notes backend in React: provider and the hooks every screen uses (web, mobile, Electron renderer). */
import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { NotesBackend, NotesSession, NotesStatus } from '../backend.js';

const BackendContext = createContext<NotesBackend | null>(null);

/** Makes the platform's backend available to the screens. */
export function BackendProvider(props: { backend: NotesBackend; children?: ReactNode }) {
  return <BackendContext.Provider value={props.backend}>{props.children}</BackendContext.Provider>;
}

/** The backend from the nearest {@link BackendProvider}. */
export function useBackend(): NotesBackend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend: wrap the app in <BackendProvider backend={…}>');
  return backend;
}

/** The sync status; re-renders when it changes. */
export function useNotesStatus(): NotesStatus {
  const { status } = useBackend();
  return useSyncExternalStore(status.subscribe, status.getSnapshot, status.getSnapshot);
}

/** The signed-in account, or null; re-renders on sign-in/out. */
export function useSession(): NotesSession | null {
  const { session } = useBackend();
  return useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);
}

/**
 * The database version: it changes when the synced data was cleared (account switch). Anything that
 * caches query results puts it in its dependencies.
 */
export function useDatabaseVersion(): number {
  const { status } = useBackend();
  const read = () => status.getSnapshot().databaseVersion;
  return useSyncExternalStore(status.subscribe, read, read);
}
