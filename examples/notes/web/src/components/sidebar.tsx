import { useState } from 'react';
import type { Project } from '../../../schema.js';
import { checkName, GROUP_COLORS } from '../../../shared/data/actions.js';
import type { GroupNode } from '../../../shared/data/groups.js';
import { canEdit } from '../../../shared/data/sharing.js';
import { sameView, type View } from '../../../shared/data/view.js';
import { useBackend } from '../../../shared/react/context.js';
import { useAccess, useProjectCounts } from '../../../shared/react/data.js';
import { userMessage } from '../../../shared/text.js';
import { InlineInput } from './inline-input.js';
import { ErrorMessage } from './message.js';
import { ShareDialog } from './share-dialog.js';

type Editing =
  | { kind: 'new-project' }
  | { kind: 'rename-project'; id: string }
  | { kind: 'new-group'; parentId: string | null }
  | { kind: 'rename-group'; id: string }
  | null;

/** Why a name cannot be used, in words (null when it can). */
const nameProblem = (what: 'project' | 'group') => (value: string) => {
  try {
    checkName(value, what);
    return null;
  } catch (e) {
    return userMessage(e).text;
  }
};

/** Navigation: all documents, projects, groups (a tree), trash. */
export function Sidebar(props: {
  view: View;
  onView: (v: View) => void;
  projects: Project[];
  groups: GroupNode[];
}) {
  const backend = useBackend();
  const counts = useProjectCounts();
  const [editing, setEditing] = useState<Editing>(null);
  const [sharing, setSharing] = useState<Project | null>(null);
  const access = useAccess(props.projects);
  const [error, setError] = useState<unknown>(null);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const done = () => setEditing(null);
  /** Runs a write; a failure is shown above the lists (and resolves to undefined). */
  const run = <T,>(p: Promise<T>): Promise<T | undefined> =>
    p.then(
      (v) => {
        setError(null);
        return v;
      },
      (e: unknown) => {
        setError(e);
        return undefined;
      },
    );
  const nextColor = () => GROUP_COLORS[props.groups.length % GROUP_COLORS.length]!;

  const item = (
    v: View,
    label: string,
    extra?: { count?: number; color?: string | null; depth?: number; badge?: string },
  ) => (
    <button
      type="button"
      className={`nav-item${sameView(v, props.view) ? ' active' : ''}`}
      aria-current={sameView(v, props.view) ? 'page' : undefined}
      style={extra?.depth ? { paddingLeft: `${12 + extra.depth * 14}px` } : undefined}
      onClick={() => props.onView(v)}
    >
      {extra?.color && <span className="dot" style={{ background: extra.color }} aria-hidden="true" />}
      <span className="nav-label">{label}</span>
      {extra?.badge && <span className="share-badge">{extra.badge}</span>}
      {extra?.count !== undefined && extra.count > 0 && <span className="count">{extra.count}</span>}
    </button>
  );

  return (
    <nav className="sidebar" aria-label="Navigation">
      <div className="nav-section">{item({ kind: 'all' }, 'All documents', { count: total })}</div>
      {error !== null && <ErrorMessage error={error} />}

      <section className="nav-section" aria-label="Projects">
        <div className="nav-heading">
          <h2>Projects</h2>
          <button
            type="button"
            className="icon-button"
            aria-label="New project"
            title="New project"
            onClick={() => setEditing({ kind: 'new-project' })}
          >
            +
          </button>
        </div>
        {props.projects.map((p) =>
          editing?.kind === 'rename-project' && editing.id === p.id ? (
            <InlineInput
              key={p.id}
              label="Project name"
              initial={p.name}
              check={nameProblem('project')}
              onCommit={(name) => void run(backend.run('renameProject', p.id, name)).finally(done)}
              onCancel={done}
            />
          ) : (
            <div key={p.id} className="nav-row">
              {item({ kind: 'project', id: p.id }, p.name, {
                count: counts.get(p.id) ?? 0,
                ...(access.project(p) === 'owner' ? {} : { badge: `shared · ${access.project(p)}` }),
              })}
              <RowActions
                name={p.name}
                {...(access.project(p) === 'owner' ? { onShare: () => setSharing(p) } : {})}
                {...(canEdit(access.project(p))
                  ? { onRename: () => setEditing({ kind: 'rename-project', id: p.id }) }
                  : {})}
                {...(access.project(p) === 'owner'
                  ? {
                      onDelete: () => {
                        if (confirm(`Delete the project “${p.name}”? Its documents move to the trash.`)) {
                          void run(backend.run('deleteProject', p.id));
                        }
                      },
                    }
                  : {})}
              />
            </div>
          ),
        )}
        {sharing && (
          <ShareDialog
            project={props.projects.find((p) => p.id === sharing.id) ?? sharing}
            onClose={() => setSharing(null)}
          />
        )}
        {editing?.kind === 'new-project' && (
          <InlineInput
            label="New project name"
            placeholder="Project name"
            check={nameProblem('project')}
            onCommit={(name) =>
              void run(backend.run('createProject', name)).then((id) => {
                done();
                if (id) props.onView({ kind: 'project', id });
              })
            }
            onCancel={done}
          />
        )}
        {props.projects.length === 0 && editing?.kind !== 'new-project' && (
          <p className="nav-empty">Projects keep related documents together.</p>
        )}
      </section>

      <section className="nav-section" aria-label="Groups">
        <div className="nav-heading">
          <h2>Groups</h2>
          <button
            type="button"
            className="icon-button"
            aria-label="New group"
            title="New group"
            onClick={() => setEditing({ kind: 'new-group', parentId: null })}
          >
            +
          </button>
        </div>
        {props.groups.map((g) => (
          <div key={g.id}>
            {editing?.kind === 'rename-group' && editing.id === g.id ? (
              <InlineInput
                label="Group name"
                initial={g.name}
                check={nameProblem('group')}
                onCommit={(name) => void run(backend.run('renameGroup', g.id, name)).finally(done)}
                onCancel={done}
              />
            ) : (
              <div className="nav-row">
                {item({ kind: 'group', id: g.id }, g.name, { color: g.color, depth: g.depth })}
                <RowActions
                  name={g.name}
                  onAddChild={() => setEditing({ kind: 'new-group', parentId: g.id })}
                  onRename={() => setEditing({ kind: 'rename-group', id: g.id })}
                  onDelete={() => {
                    if (confirm(`Delete the group “${g.name}”? Its documents stay where they are.`)) {
                      void run(backend.run('deleteGroup', g.id));
                    }
                  }}
                />
              </div>
            )}
            {editing?.kind === 'new-group' && editing.parentId === g.id && (
              <InlineInput
                label="New subgroup name"
                placeholder={`Subgroup of ${g.name}`}
                check={nameProblem('group')}
                onCommit={(name) =>
                  void run(backend.run('createGroup', name, g.id, nextColor())).finally(done)
                }
                onCancel={done}
              />
            )}
          </div>
        ))}
        {editing?.kind === 'new-group' && editing.parentId === null && (
          <InlineInput
            label="New group name"
            placeholder="Group name"
            check={nameProblem('group')}
            onCommit={(name) => void run(backend.run('createGroup', name, null, nextColor())).finally(done)}
            onCancel={done}
          />
        )}
        {props.groups.length === 0 && editing?.kind !== 'new-group' && (
          <p className="nav-empty">Groups cut across projects: tag a document with as many as you like.</p>
        )}
      </section>

      <div className="nav-section nav-bottom">{item({ kind: 'trash' }, 'Trash')}</div>
    </nav>
  );
}

function RowActions(props: {
  name: string;
  onRename?: () => void;
  onDelete?: () => void;
  onAddChild?: () => void;
  onShare?: () => void;
}) {
  if (!props.onRename && !props.onDelete && !props.onAddChild && !props.onShare) return null;
  return (
    <span className="row-actions">
      {props.onShare && (
        <button
          type="button"
          className="icon-button"
          aria-label={`Share ${props.name}`}
          title="Share"
          onClick={props.onShare}
        >
          ⇪
        </button>
      )}
      {props.onAddChild && (
        <button
          type="button"
          className="icon-button"
          aria-label={`New subgroup of ${props.name}`}
          title="New subgroup"
          onClick={props.onAddChild}
        >
          +
        </button>
      )}
      {props.onRename && (
        <button
          type="button"
          className="icon-button"
          aria-label={`Rename ${props.name}`}
          title="Rename"
          onClick={props.onRename}
        >
          ✎
        </button>
      )}
      {props.onDelete && (
        <button
          type="button"
          className="icon-button danger"
          aria-label={`Delete ${props.name}`}
          title="Delete"
          onClick={props.onDelete}
        >
          ×
        </button>
      )}
    </span>
  );
}
