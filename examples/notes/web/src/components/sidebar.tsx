import type { Project } from '@syncline/example-notes/schema';
import { useState } from 'react';
import {
  createGroup,
  createProject,
  deleteGroup,
  deleteProject,
  GROUP_COLORS,
  renameGroup,
  renameProject,
} from '../data/actions.js';
import { useNotes } from '../hooks/use-notes.js';
import { type GroupNode, useProjectCounts } from '../hooks/use-notes-data.js';
import { InlineInput } from './inline-input.js';
import { sameView, type View } from './view.js';

type Editing =
  | { kind: 'new-project' }
  | { kind: 'rename-project'; id: string }
  | { kind: 'new-group'; parentId: string | null }
  | { kind: 'rename-group'; id: string }
  | null;

/** Navigation: all documents, projects, groups (a tree), trash. */
export function Sidebar(props: {
  view: View;
  onView: (v: View) => void;
  projects: Project[];
  groups: GroupNode[];
}) {
  const { db } = useNotes();
  const counts = useProjectCounts();
  const [editing, setEditing] = useState<Editing>(null);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const done = () => setEditing(null);

  const item = (
    v: View,
    label: string,
    extra?: { count?: number; color?: string | null; depth?: number },
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
      {extra?.count !== undefined && extra.count > 0 && <span className="count">{extra.count}</span>}
    </button>
  );

  return (
    <nav className="sidebar" aria-label="Navigation">
      <div className="nav-section">{item({ kind: 'all' }, 'All documents', { count: total })}</div>

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
              onCommit={(name) => void renameProject(db, p.id, name).finally(done)}
              onCancel={done}
            />
          ) : (
            <div key={p.id} className="nav-row">
              {item({ kind: 'project', id: p.id }, p.name, { count: counts.get(p.id) ?? 0 })}
              <RowActions
                name={p.name}
                onRename={() => setEditing({ kind: 'rename-project', id: p.id })}
                onDelete={() => {
                  if (confirm(`Delete the project “${p.name}”? Its documents move to the trash.`)) {
                    void deleteProject(db, p.id);
                  }
                }}
              />
            </div>
          ),
        )}
        {editing?.kind === 'new-project' && (
          <InlineInput
            label="New project name"
            placeholder="Project name"
            onCommit={(name) =>
              void createProject(db, name).then((id) => {
                done();
                props.onView({ kind: 'project', id });
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
                onCommit={(name) => void renameGroup(db, g.id, name).finally(done)}
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
                      void deleteGroup(db, g.id);
                    }
                  }}
                />
              </div>
            )}
            {editing?.kind === 'new-group' && editing.parentId === g.id && (
              <InlineInput
                label="New subgroup name"
                placeholder={`Subgroup of ${g.name}`}
                onCommit={(name) =>
                  void createGroup(
                    db,
                    name,
                    g.id,
                    GROUP_COLORS[props.groups.length % GROUP_COLORS.length]!,
                  ).finally(done)
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
            onCommit={(name) =>
              void createGroup(
                db,
                name,
                null,
                GROUP_COLORS[props.groups.length % GROUP_COLORS.length]!,
              ).finally(done)
            }
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
  onRename: () => void;
  onDelete: () => void;
  onAddChild?: () => void;
}) {
  return (
    <span className="row-actions">
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
      <button
        type="button"
        className="icon-button"
        aria-label={`Rename ${props.name}`}
        title="Rename"
        onClick={props.onRename}
      >
        ✎
      </button>
      <button
        type="button"
        className="icon-button danger"
        aria-label={`Delete ${props.name}`}
        title="Delete"
        onClick={props.onDelete}
      >
        ×
      </button>
    </span>
  );
}
