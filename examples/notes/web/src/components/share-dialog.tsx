import type { ShareRole } from '@syncline/schema/client';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Project } from '../../../schema.js';
import { useBackend } from '../../../shared/react/context.js';
import { useMembers } from '../../../shared/react/data.js';
import { ErrorMessage } from './message.js';

const ROLE_HELP: Record<ShareRole, string> = { viewer: 'can read', editor: 'can read and edit' };

/**
 * Who a project is shared with (its owner only): add people by email as viewer or editor, change their role,
 * stop sharing. Changes are local writes like any other: they reach the others' devices through sync.
 */
export function ShareDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const backend = useBackend();
  const members = useMembers().rows.filter((m) => m.projectId === project.id);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<ShareRole>('viewer');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const act = (fn: () => Promise<unknown>) =>
    void fn().then(
      () => setError(null),
      (e: unknown) => setError(e),
    );

  async function share(e: FormEvent) {
    e.preventDefault();
    if (!email.trim()) return;
    setBusy(true);
    try {
      const user = await backend.sharing.findUser(email.trim());
      if (!user) {
        setError({ code: 'SHARING_USER_NOT_FOUND', message: 'No account uses this email address.' });
        return;
      }
      await backend.run('shareProject', project.id, { userId: user.id, email: user.email }, role);
      setEmail('');
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="share-title" onClose={onClose}>
      <h2 id="share-title">Share “{project.name}”</h2>
      <p className="muted">
        People you add see this project and its documents on their devices. Editors can change them too.
      </p>
      <form className="share-form" aria-label="Add a person" onSubmit={(e) => void share(e)}>
        <input
          type="email"
          aria-label="Email address"
          placeholder="name@example.com"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as ShareRole)}>
          <option value="viewer">Viewer</option>
          <option value="editor">Editor</option>
        </select>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Sharing…' : 'Share'}
        </button>
      </form>
      {error !== null && <ErrorMessage error={error} />}
      {members.length === 0 ? (
        <p className="muted">Not shared with anyone yet.</p>
      ) : (
        <ul className="members" aria-label="People with access">
          {members.map((m) => (
            <li key={m.id}>
              <span className="member-email">{m.email ?? m.userId}</span>
              <select
                aria-label={`Role of ${m.email ?? m.userId}`}
                value={m.role}
                onChange={(e) => act(() => backend.run('setMemberRole', m.id, e.target.value as ShareRole))}
              >
                <option value="viewer">Viewer</option>
                <option value="editor">Editor</option>
              </select>
              <span className="muted member-help">{ROLE_HELP[m.role as ShareRole] ?? ''}</span>
              <button
                type="button"
                className="danger"
                aria-label={`Stop sharing with ${m.email ?? m.userId}`}
                onClick={() => act(() => backend.run('removeMember', m.id))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={() => dialog.current?.close()}>
          Done
        </button>
      </div>
    </dialog>
  );
}
