import type { SyncRejection } from '@syncline/client';
import { useEffect, useRef, useState } from 'react';
import { useBackend, useNotesStatus } from '../../../shared/react/context.js';
import { rejectionText, timeAgo } from '../../../shared/text.js';
import { ErrorMessage } from './message.js';

const TABLE_LABEL: Record<string, string> = {
  documents: 'Document',
  document_versions: 'Version',
  projects: 'Project',
  project_members: 'Sharing',
  groups: 'Group',
  group_hierarchy: 'Subgroup link',
  document_groups: 'Group membership',
};
const OP_LABEL: Record<string, string> = { PUT: 'new', PATCH: 'edit', DELETE: 'deletion' };

/** Changes the server refused: why (in plain words, with the code), and retry or discard each. */
export function RejectionsDialog({ onClose }: { onClose: () => void }) {
  const backend = useBackend();
  const { rejected } = useNotesStatus();
  const [items, setItems] = useState<SyncRejection[]>([]);
  const [error, setError] = useState<unknown>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload whenever the count changes
  useEffect(() => {
    let live = true;
    void backend.rejections.list().then((r) => live && setItems(r), setError);
    return () => {
      live = false;
    };
  }, [backend, rejected]);

  const act = (fn: () => Promise<unknown>) => void fn().catch(setError);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="rejections-title" onClose={onClose}>
      <h2 id="rejections-title">Rejected changes</h2>
      <p className="muted">
        The server refused these changes, so they are not on your other devices. Retry one (for example after
        fixing what the message says) or discard it.
      </p>
      {error !== null && <ErrorMessage error={error} />}
      {items.length === 0 ? (
        <p>Nothing left to review.</p>
      ) : (
        <ul className="rejections">
          {items.map((r) => (
            <li key={r.id}>
              <div>
                <strong>
                  {TABLE_LABEL[r.tableName] ?? r.tableName} {OP_LABEL[r.op] ?? r.op}
                </strong>{' '}
                <span className="muted">{timeAgo(r.rejectedAt)}</span>
                <p>
                  {rejectionText(r.code, r.message)}{' '}
                  <small className="error-code" title={r.message}>
                    {r.code}
                  </small>
                </p>
              </div>
              <div className="rejection-actions">
                <button type="button" onClick={() => act(() => backend.rejections.retry(r.id))}>
                  Retry
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() => act(() => backend.rejections.discard(r.id))}
                >
                  Discard
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
