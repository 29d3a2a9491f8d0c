import { useSyncStatus } from '@syncline/client/react';
import { useEffect, useState } from 'react';
import { useNotes } from '../hooks/use-notes.js';
import { useSession } from '../hooks/use-session.js';
import { AuthScreen } from './auth-screen.js';
import { Workspace } from './workspace.js';

/**
 * Signed out → the sign-in screen. Signed in → connect (switching the local data to this user if another
 * one owned it) and show the workspace only once the local data belongs to the signed-in user, so one
 * user's notes are never on screen for another.
 */
export function App() {
  const client = useNotes();
  const session = useSession();
  const status = useSyncStatus();
  const [connectError, setConnectError] = useState<{ code: string; message: string } | null>(null);
  const token = session?.token;

  useEffect(() => {
    if (!token) return;
    setConnectError(null);
    client.connect().catch((e: { code?: string; message?: string }) => {
      setConnectError({ code: e.code ?? 'CLIENT_SYNC_FAILED', message: e.message ?? String(e) });
    });
  }, [client, token]);

  // Follow the browser's network state: stop syncing when it goes offline (writes keep going to the local
  // database and queue up), reconnect at once when it is back rather than at the next retry. The sync
  // stream runs in a shared worker, so this also keeps every tab's view of "offline" the same.
  useEffect(() => {
    if (!token) return;
    const offline = () => void client.disconnect().catch(() => undefined);
    const online = () => void client.connect().catch(() => undefined);
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
    };
  }, [client, token]);

  if (!session) return <AuthScreen />;
  if (status.userId !== session.user.id || status.switching) {
    return (
      <div className="splash" role="status" aria-live="polite">
        <div className="spinner" aria-hidden="true" />
        <p>Opening {session.user.name || session.user.email}’s notes…</p>
        {connectError && (
          <p className="error-text">
            <code>{connectError.code}</code> {connectError.message}
          </p>
        )}
      </div>
    );
  }
  return <Workspace key={session.user.id} session={session} />;
}
