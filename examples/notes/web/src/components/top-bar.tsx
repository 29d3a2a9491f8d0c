import { useRef, useState } from 'react';
import { useNotes } from '../hooks/use-notes.js';
import { revokeSession, type Session } from '../session.js';

/** Brand and the account menu (sign out). */
export function TopBar({ session }: { session: Session }) {
  const client = useNotes();
  const [busy, setBusy] = useState(false);
  const menu = useRef<HTMLDetailsElement>(null);

  async function signOut(clearData: boolean) {
    setBusy(true);
    const token = session.token;
    // Local first (works offline): stop syncing, forget the session; then revoke it at the API.
    await client.signOut({ clearData });
    void revokeSession(token);
  }

  const initials = (session.user.name || session.user.email).slice(0, 1).toUpperCase();
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Syncline Notes
      </div>
      <details className="account" ref={menu}>
        <summary aria-label="Account">
          <span className="avatar" aria-hidden="true">
            {initials}
          </span>
          <span className="account-email">{session.user.email}</span>
        </summary>
        <div className="menu" role="menu">
          <div className="menu-header">
            <strong>{session.user.name}</strong>
            <span>{session.user.email}</span>
          </div>
          <button type="button" role="menuitem" disabled={busy} onClick={() => void signOut(false)}>
            Sign out
          </button>
          <button
            type="button"
            role="menuitem"
            disabled={busy}
            onClick={() => void signOut(true)}
            title="Also removes this account's notes from this browser; unsynced changes are kept aside for you."
          >
            Sign out and remove local data
          </button>
        </div>
      </details>
    </header>
  );
}
