import { useSyncClient, useSyncStatus } from '@syncline/client/react';
import { useState } from 'react';
import { RejectionsDialog } from './rejections-dialog.js';

const LABEL = {
  'signed-out': 'Signed out',
  offline: 'Offline',
  connecting: 'Connecting…',
  syncing: 'Syncing…',
  synced: 'Synced',
  error: 'Sync error',
} as const;

/** One line: sync state (with progress), pending uploads, a stuck upload, last sync, rejected writes. */
export function StatusBar() {
  const s = useSyncStatus();
  const client = useSyncClient();
  const [reviewing, setReviewing] = useState(false);
  const progress =
    s.state === 'syncing' && s.progress && s.progress.total > 0
      ? ` ${Math.round((100 * s.progress.downloaded) / s.progress.total)}% (${s.progress.downloaded}/${s.progress.total})`
      : '';
  return (
    <footer
      className={`statusbar state-${s.state}`}
      data-testid="sync-status"
      data-state={s.state}
      data-pending={s.pendingUploads}
      data-rejected={s.rejected}
    >
      <span className="status-state" role="status" aria-live="polite">
        <span className="status-dot" aria-hidden="true" />
        {LABEL[s.state]}
        {progress}
      </span>
      {s.pendingUploads > 0 && (
        <span className="status-item" data-testid="pending-uploads">
          {s.pendingUploads} {s.pendingUploads === 1 ? 'change' : 'changes'} waiting to upload
        </span>
      )}
      {s.state === 'offline' && (
        <span className="status-item muted">
          Changes are saved on this device and sync when you are back online.
        </span>
      )}
      {s.error && s.state !== 'synced' && s.state !== 'syncing' && (
        <span className="status-item muted" title={s.error.message}>
          <code>{s.error.code}</code>
        </span>
      )}
      {s.stuckUpload && (
        <span className="status-item" data-testid="stuck-upload" title={s.stuckUpload.message}>
          A change keeps failing on the server (<code>{s.stuckUpload.code}</code>) since{' '}
          {s.stuckUpload.since.toLocaleTimeString()}.{' '}
          <button
            type="button"
            className="status-alert"
            onClick={() => {
              if (
                window.confirm(
                  'Set this change aside? It will not be uploaded; you can retry or discard it under “rejected changes”.',
                )
              )
                void client.moveStuckUploadAside();
            }}
          >
            Set it aside
          </button>
        </span>
      )}
      <span className="toolbar-spacer" />
      {s.rejected > 0 && (
        <button type="button" className="status-alert" onClick={() => setReviewing(true)}>
          {s.rejected} rejected {s.rejected === 1 ? 'change' : 'changes'} — Review
        </button>
      )}
      {s.lastSyncedAt && (
        <span className="status-item muted" title={s.lastSyncedAt.toISOString()}>
          Last synced {s.lastSyncedAt.toLocaleTimeString()}
        </span>
      )}
      {reviewing && <RejectionsDialog onClose={() => setReviewing(false)} />}
    </footer>
  );
}
