import type { SyncRejection } from '@syncline/client';
import { useSyncStatus } from '@syncline/client/react';
import { useEffect, useRef, useState } from 'react';
import { useNotes } from '../hooks/use-notes.js';
import { timeAgo } from './view.js';

const TABLE_LABEL: Record<string, string> = {
  documents: 'Document',
  document_versions: 'Version',
  projects: 'Project',
  groups: 'Group',
  group_hierarchy: 'Subgroup link',
  document_groups: 'Group membership',
};

/** Changes the server refused: why (code + message), and retry or discard each. */
export function RejectionsDialog({ onClose }: { onClose: () => void }) {
  const client = useNotes();
  const { rejected } = useSyncStatus();
  const [items, setItems] = useState<SyncRejection[]>([]);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload whenever the count changes
  useEffect(() => {
    let live = true;
    void client.rejections.list().then((r) => live && setItems(r));
    return () => {
      live = false;
    };
  }, [client, rejected]);

  const act = (fn: () => Promise<unknown>) =>
    void fn().catch((e: { code?: string; message?: string }) =>
      setError(`${e.code ?? 'ERROR'}: ${e.message}`),
    );

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="rejections-title" onClose={onClose}>
      <h2 id="rejections-title">Rejected changes</h2>
      <p className="muted">
        The server refused these changes, so they are not on your other devices. Retry one (for example after
        fixing what the message says) or discard it.
      </p>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {items.length === 0 ? (
        <p>Nothing left to review.</p>
      ) : (
        <ul className="rejections">
          {items.map((r) => (
            <li key={r.id}>
              <div>
                <strong>
                  {TABLE_LABEL[r.tableName] ?? r.tableName} · {r.op}
                </strong>{' '}
                <span className="muted">{timeAgo(r.rejectedAt)}</span>
                <p>
                  <code>{r.code}</code> {r.message}
                </p>
              </div>
              <div className="rejection-actions">
                <button type="button" onClick={() => act(() => client.rejections.retry(r.id))}>
                  Retry
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() => act(() => client.rejections.discard(r.id))}
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
