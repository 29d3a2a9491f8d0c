import { useEffect, useRef, useState } from 'react';
import { type DocumentConflict, resolveConflict } from '../../../shared/data/conflicts.js';
import { useConflicts } from '../../../shared/react/conflicts.js';
import { useBackend } from '../../../shared/react/context.js';
import { ErrorMessage } from './message.js';

/**
 * Opens by itself when an edit made here lost against an edit made elsewhere (the document's version moved on
 * in between): both texts side by side, keep mine (saved again on top of theirs) or keep theirs.
 */
export function ConflictDialog() {
  const { conflicts, reload } = useConflicts();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const current = conflicts.find((c) => c.rejectionIds[0] !== dismissed) ?? null;
  if (!current) return null;
  return (
    <ConflictView
      key={current.rejectionIds[0]}
      conflict={current}
      count={conflicts.length}
      onResolved={reload}
      onLater={() => setDismissed(current.rejectionIds[0] ?? null)}
    />
  );
}

function ConflictView(props: {
  conflict: DocumentConflict;
  count: number;
  onResolved: () => void;
  onLater: () => void;
}) {
  const backend = useBackend();
  const { conflict } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const resolved = useRef(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const keep = async (which: 'mine' | 'theirs') => {
    setBusy(true);
    try {
      await resolveConflict(backend, conflict, which);
      resolved.current = true;
      dialog.current?.close();
      props.onResolved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const title = conflict.theirs.title || conflict.mine.title || 'Untitled';

  return (
    <dialog
      ref={dialog}
      className="dialog conflict-dialog"
      aria-labelledby="conflict-title"
      onClose={() => {
        if (!resolved.current) props.onLater();
      }}
    >
      <h2 id="conflict-title">“{title}” was changed on another device</h2>
      <p className="muted">
        Both texts were edited at the same time, and the other one reached the server first. Choose which to
        keep.
        {props.count > 1 ? ` (${props.count} conflicts to review.)` : ''}
      </p>
      {error !== null && <ErrorMessage error={error} />}
      <div className="conflict-columns">
        <section aria-label="Mine">
          <h3>Mine (this device)</h3>
          {conflict.mine.title !== conflict.theirs.title && (
            <p className="conflict-doc-title">{conflict.mine.title}</p>
          )}
          <pre className="conflict-text" data-testid="conflict-mine">
            {conflict.mine.content}
          </pre>
          <button type="button" className="primary" disabled={busy} onClick={() => void keep('mine')}>
            Keep mine
          </button>
        </section>
        <section aria-label="Theirs">
          <h3>Theirs (on the server)</h3>
          {conflict.mine.title !== conflict.theirs.title && (
            <p className="conflict-doc-title">{conflict.theirs.title}</p>
          )}
          <pre className="conflict-text" data-testid="conflict-theirs">
            {conflict.theirs.content}
          </pre>
          <button type="button" disabled={busy} onClick={() => void keep('theirs')}>
            Keep theirs
          </button>
        </section>
      </div>
      <div className="dialog-actions">
        <button type="button" onClick={() => dialog.current?.close()}>
          Decide later
        </button>
      </div>
    </dialog>
  );
}
