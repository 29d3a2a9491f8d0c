import { useState } from 'react';
import type { Project } from '../../../schema.js';
import type { GroupNode } from '../../../shared/data/groups.js';
import { canEdit } from '../../../shared/data/sharing.js';
import type { View } from '../../../shared/data/view.js';
import { useBackend, useNotesStatus } from '../../../shared/react/context.js';
import { useAccess, useDocuments, useGroupLinks } from '../../../shared/react/data.js';
import { useNow } from '../../../shared/react/use-now.js';
import { timeAgo } from '../../../shared/text.js';
import { ErrorMessage } from './message.js';

/** The documents of the current view, a search box and "New document". */
export function DocumentList(props: {
  view: View;
  projects: Project[];
  groups: GroupNode[];
  selected: string | null;
  onSelect: (id: string) => void;
  /** Phones: back to the navigation (projects, groups). */
  onMenu: () => void;
}) {
  const backend = useBackend();
  const status = useNotesStatus();
  const [search, setSearch] = useState('');
  const [createError, setCreateError] = useState<unknown>(null);
  const { rows, loading, error } = useDocuments(props.view, search);
  const links = useGroupLinks();
  const now = useNow();
  const access = useAccess(props.projects);
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

  /** A viewer cannot add documents to a project shared with them. */
  function writable(v: View): boolean {
    if (v.kind !== 'project') return true;
    const p = props.projects.find((x) => x.id === v.id);
    return !p || canEdit(access.project(p));
  }

  async function create() {
    try {
      const id = await backend.run('createDocument', {
        title: '',
        projectId: view.kind === 'project' ? view.id : null,
        groupId: view.kind === 'group' ? view.id : null,
      });
      setCreateError(null);
      props.onSelect(id);
    } catch (e) {
      setCreateError(e);
    }
  }

  return (
    <section className="doc-list" aria-label="Documents">
      <div className="doc-list-header">
        <button
          type="button"
          className="icon-button phone-only"
          aria-label="Projects and groups"
          onClick={props.onMenu}
        >
          ☰
        </button>
        <h1>{title}</h1>
        {view.kind !== 'trash' && writable(view) && (
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
      {error !== null && <ErrorMessage error={error} />}
      {createError !== null && <ErrorMessage error={createError} />}
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
