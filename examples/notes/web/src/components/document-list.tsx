import { useSyncStatus } from '@syncline/client/react';
import type { Project } from '@syncline/example-notes/schema';
import { useState } from 'react';
import { createDocument } from '../data/actions.js';
import { useNotes } from '../hooks/use-notes.js';
import { type GroupNode, useDocuments, useGroupLinks } from '../hooks/use-notes-data.js';
import { useNow } from '../hooks/use-now.js';
import { timeAgo, type View } from './view.js';

/** The documents of the current view, a search box and "New document". */
export function DocumentList(props: {
  view: View;
  projects: Project[];
  groups: GroupNode[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { db } = useNotes();
  const status = useSyncStatus();
  const [search, setSearch] = useState('');
  const { rows, loading, error } = useDocuments(props.view, search);
  const links = useGroupLinks();
  const now = useNow();
  const groupById = new Map(props.groups.map((g) => [g.id, g]));
  const { view } = props;
  const title =
    view.kind === 'all'
      ? 'All documents'
      : view.kind === 'trash'
        ? 'Trash'
        : view.kind === 'project'
          ? (props.projects.find((p) => p.id === view.id)?.name ?? 'Project')
          : (groupById.get(view.id)?.name ?? 'Group');
  const firstSync =
    status.lastSyncedAt === null && (status.state === 'syncing' || status.state === 'connecting');

  async function create() {
    const id = await createDocument(db, {
      title: '',
      projectId: view.kind === 'project' ? view.id : null,
      groupId: view.kind === 'group' ? view.id : null,
    });
    props.onSelect(id);
  }

  return (
    <section className="doc-list" aria-label="Documents">
      <div className="doc-list-header">
        <h1>{title}</h1>
        {view.kind !== 'trash' && (
          <button type="button" className="primary" onClick={() => void create()}>
            New document
          </button>
        )}
      </div>
      <input
        type="search"
        className="search"
        placeholder="Search"
        aria-label="Search documents"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {error && (
        <p className="error-text" role="alert">
          <code>QUERY_FAILED</code> {error.message}
        </p>
      )}
      <ul className="doc-items">
        {rows.map((d) => (
          <li key={d.id}>
            <button
              type="button"
              className={`doc-item${d.id === props.selected ? ' active' : ''}`}
              aria-current={d.id === props.selected ? 'true' : undefined}
              onClick={() => props.onSelect(d.id)}
            >
              <span className="doc-title">{d.title?.trim() || 'Untitled'}</span>
              <span className="doc-snippet">{d.content.slice(0, 120) || 'No content'}</span>
              <span className="doc-meta">
                {timeAgo(view.kind === 'trash' ? d.deletedAt : d.updatedAt, now)}
                {(links.get(d.id) ?? []).map((gid) => {
                  const g = groupById.get(gid);
                  return g ? (
                    <span
                      key={gid}
                      className="dot"
                      title={g.name}
                      style={{ background: g.color ?? '#94a3b8' }}
                    />
                  ) : null;
                })}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {!loading && rows.length === 0 && (
        <div className="empty">
          {search ? (
            <p>No documents match “{search}”.</p>
          ) : firstSync ? (
            <p>Loading your documents…</p>
          ) : view.kind === 'trash' ? (
            <p>The trash is empty.</p>
          ) : (
            <>
              <p className="empty-title">No documents yet</p>
              <p>Create one — it is saved on this device at once and synced to your others.</p>
            </>
          )}
        </div>
      )}
    </section>
  );
}
