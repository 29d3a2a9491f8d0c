import { useState } from 'react';
import type { DocumentVersion } from '../../../schema.js';
import { useBackend } from '../../../shared/react/context.js';
import { useVersions } from '../../../shared/react/data.js';
import { useNow } from '../../../shared/react/use-now.js';
import { timeAgo } from '../../../shared/text.js';

/** The document's saved versions, newest first; preview one and restore it (as a new version). */
export function VersionsPanel(props: {
  documentId: string;
  current: { title: string; content: string };
  onRestore: (v: DocumentVersion) => void;
  onClose: () => void;
}) {
  const { deviceId } = useBackend();
  const { rows, loading } = useVersions(props.documentId);
  const [open, setOpen] = useState<string | null>(null);
  const now = useNow();
  return (
    <aside className="versions" aria-label="Versions">
      <div className="versions-header">
        <h2>Versions</h2>
        <button type="button" className="icon-button" aria-label="Close versions" onClick={props.onClose}>
          ×
        </button>
      </div>
      {!loading && rows.length === 0 && <p className="nav-empty">No saved versions yet.</p>}
      <ol className="version-items">
        {rows.map((v, i) => {
          const same = v.content === props.current.content && (v.title ?? '') === props.current.title;
          return (
            <li key={v.id} className={open === v.id ? 'open' : ''}>
              <button
                type="button"
                className="version-item"
                onClick={() => setOpen(open === v.id ? null : v.id)}
              >
                <span className="version-number">Version {v.version}</span>
                <span className="version-meta">
                  {timeAgo(v.createdAt, now)} · {v.deviceId === deviceId ? 'this device' : 'another device'}
                  {i === 0 && ' · latest'}
                </span>
              </button>
              {open === v.id && (
                <div className="version-preview">
                  <strong>{v.title?.trim() || 'Untitled'}</strong>
                  <pre>{v.content || 'No content'}</pre>
                  {!same && (
                    <button type="button" onClick={() => props.onRestore(v)}>
                      Restore this version
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}
