import { useSyncExternalStore } from 'react';
import { type Session, sessionStore } from '../session.js';

/** The signed-in session, or null; re-renders on sign-in/out (in this tab or another). */
export function useSession(): Session | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get, sessionStore.get);
}
