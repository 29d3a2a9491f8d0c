/** The notes backend in React: provider and the hooks every screen uses (web, mobile, Electron renderer). */
import { type ReactNode } from 'react';
import type { NotesBackend, NotesSession, NotesStatus } from '../backend.js';
/** Makes the platform's backend available to the screens. */
export declare function BackendProvider(props: {
  backend: NotesBackend;
  children?: ReactNode;
}): import('react').JSX.Element;
/** The backend from the nearest {@link BackendProvider}. */
export declare function useBackend(): NotesBackend;
/** The sync status; re-renders when it changes. */
export declare function useNotesStatus(): NotesStatus;
/** The signed-in account, or null; re-renders on sign-in/out. */
export declare function useSession(): NotesSession | null;
/**
 * The database version: it changes when the synced data was cleared (account switch). Anything that
 * caches query results puts it in its dependencies.
 */
export declare function useDatabaseVersion(): number;
