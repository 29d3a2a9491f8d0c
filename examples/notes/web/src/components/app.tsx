import { useBackend, useNotesStatus, useSession } from '../../../shared/react/context.js';
import { AuthScreen } from './auth-screen.js';
import { ErrorMessage } from './message.js';
import { Workspace } from './workspace.js';

/**
 * Signed out → the sign-in screen. Signed in → the workspace, but only once the local data belongs to the
 * signed-in user (the backend connects and switches accounts), so one user's notes are never on screen for
 * another. A device that never synced (no owner yet) holds nobody's data and opens at once.
 */
export function App() {
  useBackend();
  const session = useSession();
  const status = useNotesStatus();
  if (!session) return <AuthScreen />;
  const othersData = status.userId !== null && status.userId !== session.userId;
  if (othersData || status.switching) {
    return (
      <div className="splash" role="status" aria-live="polite">
        <div className="spinner" aria-hidden="true" />
        <p>Opening {session.name || session.email}’s notes…</p>
        {status.state === 'error' && status.error && <ErrorMessage error={status.error} />}
      </div>
    );
  }
  return <Workspace key={session.userId} />;
}
