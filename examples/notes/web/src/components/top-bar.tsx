import { useState } from 'react';
import type { NotesSession } from '../../../shared/backend.js';
import { useBackend } from '../../../shared/react/context.js';

/** Brand and the account menu (sign out). */
export function TopBar({ session }: { session: NotesSession }) {
  const backend = useBackend();
  const [busy, setBusy] = useState(false);

  async function signOut(clearData: boolean) {
    setBusy(true);
    await backend.auth.signOut({ clearData }).finally(() => setBusy(false));
  }

  const initials = (session.name || session.email).slice(0, 1).toUpperCase();
  const where = backend.platform === 'desktop' ? 'this computer' : 'this browser';
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Syncline Notes</span>
      </div>
      <details className="account">
        <summary aria-label="Account">
          <span className="avatar" aria-hidden="true">
            {initials}
          </span>
          <span className="account-email">{session.email}</span>
        </summary>
        <div className="menu" role="menu">
          <div className="menu-header">
            <strong>{session.name}</strong>
            <span>{session.email}</span>
          </div>
          <button type="button" role="menuitem" disabled={busy} onClick={() => void signOut(false)}>
            Sign out
          </button>
          <button
            type="button"
            role="menuitem"
            disabled={busy}
            onClick={() => void signOut(true)}
            title={`Also removes this account's notes from ${where}; unsynced changes are kept aside for you.`}
          >
            Sign out and remove local data
          </button>
        </div>
      </details>
    </header>
  );
}
