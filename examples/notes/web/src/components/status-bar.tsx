import { useState } from 'react';
import { useBackend, useNotesStatus } from '../../../shared/react/context.js';
import { plural, STATE_LABEL, userMessage } from '../../../shared/text.js';
import { RejectionsDialog } from './rejections-dialog.js';

/** One line: sync state (with progress), pending uploads, a stuck upload, last sync, rejected writes; pause/resume where offered. */
export function StatusBar() {
  const backend = useBackend();
  const s = useNotesStatus();
  const [reviewing, setReviewing] = useState(false);
  const [toggling, setToggling] = useState(false);
  const state = s.enabled ? s.state : 'paused';
  const progress =
    state === 'syncing' && s.progress && s.progress.total > 0
      ? ` ${Math.round((100 * s.progress.downloaded) / s.progress.total)}% (${s.progress.downloaded}/${s.progress.total})`
      : '';
  const problem = s.error && (state === 'error' || state === 'offline') ? userMessage(s.error) : null;
  const toggle = async () => {
    if (!backend.sync) return;
    setToggling(true);
    await (s.enabled ? backend.sync.disable() : backend.sync.enable()).finally(() => setToggling(false));
  };
  return (
    <footer
      className={`statusbar state-${state}`}
      data-testid="sync-status"
      data-state={state}
      data-pending={s.pendingUploads}
      data-rejected={s.rejected}
    >
      <span className="status-state" role="status" aria-live="polite">
        <span className="status-dot" aria-hidden="true" />
        {STATE_LABEL[state]}
        {progress}
      </span>
      {s.pendingUploads > 0 && (
        <span className="status-item" data-testid="pending-uploads">
          {plural(s.pendingUploads, 'change')} waiting to upload
        </span>
      )}
      {(state === 'offline' || state === 'paused') && (
        <span className="status-item muted status-hint">
          Changes are saved on this device and sync when{' '}
          {state === 'paused' ? 'you resume' : 'you are back online'}.
        </span>
      )}
      {problem && (
        <span className="status-item muted" data-testid="sync-problem">
          {problem.text} <small className="error-code">{problem.code}</small>
        </span>
      )}
      {s.stuckUpload && (
        <span className="status-item" data-testid="stuck-upload" title={s.stuckUpload.message}>
          A change keeps failing on the server since {new Date(s.stuckUpload.since).toLocaleTimeString()}.{' '}
          <small className="error-code">{s.stuckUpload.code}</small>{' '}
          <button
            type="button"
            className="status-alert"
            onClick={() => {
              if (
                window.confirm(
                  'Set this change aside? It will not be uploaded; you can retry or discard it under “rejected changes”.',
                )
              )
                void backend.rejections.setStuckAside();
            }}
          >
            Set it aside
          </button>
        </span>
      )}
      <span className="toolbar-spacer" />
      {s.rejected > 0 && (
        <button type="button" className="status-alert" onClick={() => setReviewing(true)}>
          {plural(s.rejected, 'rejected change')} — Review
        </button>
      )}
      {s.lastSyncedAt && (
        <span className="status-item muted status-last" title={s.lastSyncedAt.toISOString()}>
          Last synced {s.lastSyncedAt.toLocaleTimeString()}
        </span>
      )}
      {backend.sync && (
        <button type="button" className="status-toggle" disabled={toggling} onClick={() => void toggle()}>
          {s.enabled ? 'Pause sync' : 'Resume sync'}
        </button>
      )}
      {reviewing && <RejectionsDialog onClose={() => setReviewing(false)} />}
    </footer>
  );
}
